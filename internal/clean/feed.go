package clean

// feedMinDocs is how many texts of a batch must share a short line before
// it counts as the site's furniture rather than the article's.
const feedMinDocs = 3

// Feed tells the cleaner about a batch of texts from one feed or site, so
// that short lines repeated across several of them (a site's menus,
// appeals and footers) are treated as junk in later calls to Clean. Long
// lines are never affected: syndicated copies share whole paragraphs, and
// those belong to the dedupe stage. Calling Feed again replaces the batch.
func (c *Cleaner) Feed(texts []string) {
	counts := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, l := range splitLines(t) {
			k := dupKey(l)
			if k == "" || seen[k] || len(k) > 200 {
				continue
			}
			seen[k] = true
			counts[k]++
		}
	}
	for k, n := range counts {
		if n < feedMinDocs {
			delete(counts, k)
		}
	}
	c.mu.Lock()
	c.feed = counts
	c.mu.Unlock()
}

func (c *Cleaner) repeated(line string, words int) bool {
	if words > 15 {
		return false
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.feed[dupKey(line)] > 0
}
