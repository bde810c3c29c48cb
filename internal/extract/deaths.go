package extract

import (
	"strings"
)

// figure is one death count in a sentence and the noun it counts.
type figure struct {
	value  int
	noun   string
	approx bool // "une vingtaine", "about forty": yields to an exact figure
}

var skipNoun = map[string]bool{"of": true, "the": true, "de": true, "des": true, "d'": true, "other": true, "others": true,
	"autres": true, "more": true, "additional": true, "people": false, "les": true, "their": true, "our": true, "leurs": true,
	"about": true, "some": true, "young": true, "jeunes": false}

// deaths returns the death counts a sentence gives for the victims and for
// the attackers. A count is a death count when the death word nearest to
// it (before or after, within seven words) says people died rather than
// were wounded, held or missing.
func (x *Extractor) deaths(s *sentence) (victims, attackers []figure) {
	if len(s.words) == 0 {
		return nil, nil
	}
	hits := x.lx.deaths.match(s.words)
	kind := make([]string, len(s.words))
	for _, h := range hits {
		for k := h.from; k < h.to; k++ {
			kind[k] = h.value
		}
	}
	return x.figures(s, kind)
}

func (x *Extractor) figures(s *sentence, kind []string) (victims, attackers []figure) {
	counted := false
	for _, n := range s.numbers {
		if n.Value <= 0 || n.Vague || inDate(s, n.Start) {
			continue
		}
		first, last := wordSpan(s, n.Start, n.End)
		if first >= len(s.words) {
			continue
		}
		if last+1 < len(s.words) && x.lx.is("not-people", s.words[last+1].text) {
			continue
		}
		if first > 0 && (x.lx.is("subset", s.words[first-1].text) || x.lx.is("code", s.words[first-1].text)) {
			continue
		}
		if first > 1 && s.words[first-1].text == "of" && s.words[first-2].text == "one" ||
			first > 2 && s.words[first-1].text == "the" && s.words[first-2].text == "of" && s.words[first-3].text == "one" {
			continue // "one of (the) three soldiers succumbed": one
		}
		isDead, attacker := x.classify(s, kind, first, last)
		if !isDead {
			continue
		}
		f := figure{value: n.Value, noun: nounAfter(s, last), approx: n.Approx}
		counted = true
		if attacker || x.attackerNoun(f.noun) {
			attackers = append(attackers, f)
		} else {
			victims = append(victims, f)
		}
	}
	if !counted {
		// "a soldier was killed", "un civil a été tué": one dead
		for k := 0; k+1 < len(s.words); k++ {
			switch s.words[k].text {
			case "a", "an", "one", "un", "une":
			default:
				continue
			}
			noun := s.words[k+1].text
			if !x.personNoun(noun) {
				continue
			}
			if dead, attacker := x.classify(s, kind, k, k+1); dead {
				f := figure{value: 1, noun: noun}
				if attacker || x.attackerNoun(noun) {
					attackers = append(attackers, f)
				} else {
					victims = append(victims, f)
				}
				break
			}
		}
	}
	if len(victims)+len(attackers) == 0 {
		if f, ok := x.singleKill(s, kind); ok {
			if x.attackerNoun(f.noun) {
				attackers = append(attackers, f)
			} else {
				victims = append(victims, f)
			}
		}
	}
	return victims, attackers
}

var determiners = map[string]bool{"a": true, "an": true, "the": true, "un": true, "une": true, "le": true,
	"la": true, "l'": true, "his": true, "her": true, "its": true, "one": true, "another": true}

var nounPhraseEnd = map[string]bool{"of": true, "in": true, "at": true, "on": true, "outside": true, "near": true,
	"and": true, "de": true, "du": true, "des": true, "a": true, "dans": true, "pres": true, "with": true, "who": true,
	"qui": true, "from": true, "while": true, "during": true, "after": true, "before": true, "by": true, "par": true,
	"et": true, "en": true, "au": true, "aux": true, "sur": true, "when": true, "as": true}

// singleKill finds one person killed with no number: "shot dead the
// deputy mayor", "killing him", "the imam was assassinated", "un civil a
// été tué".
func hasDigitWord(w string) bool { return strings.IndexAny(w, "0123456789") >= 0 }

func (x *Extractor) singleKill(s *sentence, kind []string) (figure, bool) {
	for k, w := range s.words {
		if kind[k] != "dead" || !x.lx.is("kill", w.text) {
			continue
		}
		// passive with a singular auxiliary
		if k > 0 && (s.words[k-1].text == "was" || s.words[k-1].text == "ete" && k > 1 && s.words[k-2].text == "a" ||
			s.words[k-1].text == "est") {
			return figure{value: 1}, true
		}
		if k+1 >= len(s.words) {
			continue
		}
		// "Agent for the Water Department killed by unknown gunmen": a
		// reduced passive after one person named in the singular
		if by := s.words[k+1].text; (by == "by" || by == "par") && k > 0 {
			for j := k - 1; j >= 0 && j >= k-6; j-- {
				w := s.words[j].text
				if kind[j] != "" || hasDigitWord(w) {
					break
				}
				if x.personNoun(w) && !strings.HasSuffix(w, "s") {
					return figure{value: 1, noun: w}, true
				}
			}
		}
		obj := k + 1
		// "killed and buried a herder": the second verb shares the object
		if (s.words[obj].text == "and" || s.words[obj].text == "et") && obj+2 < len(s.words) &&
			strings.HasSuffix(s.words[obj+1].text, "ed") {
			obj += 2
		}
		next := s.words[obj].text
		if next == "him" || next == "her" || next == "lui" {
			return figure{value: 1}, true
		}
		if !determiners[next] {
			// "assassinated GATIA field commander Mohamed ...": a rank
			// before a name
			for j := obj; j < len(s.words) && j <= obj+2; j++ {
				w := s.words[j].text
				if nounPhraseEnd[w] || j > obj && strings.ContainsAny(s.text[s.words[j-1].orig:s.words[j].orig], ",;:(") {
					break
				}
				if x.personNoun(w) && x.singular(w) {
					return figure{value: x.companions(s, j, 1), noun: w}, true
				}
			}
			continue
		}
		// the head of the object noun phrase: the last word before a
		// preposition or a comma, at most four words on
		head, at := "", 0
		for j := obj + 1; j < len(s.words) && j <= obj+4; j++ {
			if nounPhraseEnd[s.words[j].text] || strings.ContainsAny(s.text[s.words[j-1].orig:s.words[j].orig], ",;:(") {
				break
			}
			head, at = s.words[j].text, j
		}
		if head == "" || !x.singular(head) {
			continue // plural or nothing: no figure
		}
		return figure{value: x.companions(s, at, 1), noun: head}, true
	}
	for k, w := range s.words {
		// "the woman succumbed to her wounds", "he was later found dead"
		if kind[k] != "dead" || !x.lx.is("die", w.text) || k == 0 {
			continue
		}
		subj := k - 1
		for subj > 0 && auxiliaries[s.words[subj].text] {
			subj-- // "he was later found dead"
		}
		w := s.words[subj].text
		if w == "he" || w == "she" || w == "il" || w == "elle" ||
			x.personNoun(w) && x.singular(w) && subj > 0 && determiners[s.words[subj-1].text] {
			return figure{value: 1, noun: w}, true
		}
	}
	return figure{}, false
}

// auxiliaries may stand between a subject and its death word.
var auxiliaries = map[string]bool{"was": true, "were": true, "later": true, "been": true, "had": true, "has": true,
	"est": true, "ete": true, "then": true, "subsequently": true, "eventually": true}

func (x *Extractor) singular(w string) bool {
	return !(strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "x") || x.lx.is("plural", w))
}

// companions counts the people killed with the one at head: "a member of
// Dan Na Ambassagou, his son", "a commander and his associate".
func (x *Extractor) companions(s *sentence, head, n int) int {
	for j := head + 1; j+1 < len(s.words) && j <= head+8; j++ {
		w := s.words[j].text
		gap := s.text[s.words[j-1].orig:s.words[j].orig]
		if strings.ContainsAny(gap, ";:(") {
			break
		}
		switch w {
		case "his", "her", "son", "sa", "ses", "another":
			joined := strings.Contains(gap, ",")
			switch s.words[j-1].text {
			case "and", "et", "with", "avec":
				joined = true
			}
			if !joined {
				break
			}
			next := s.words[j+1].text
			if x.personNoun(next) && x.singular(next) {
				n++
				j++
				continue
			}
			// "a village chief and his three sons"
			if j+2 < len(s.words) && x.personNoun(s.words[j+2].text) {
				for _, num := range s.numbers {
					if num.Start == s.words[j+1].orig && num.Value > 0 && num.Value < 100 && !num.Vague {
						n += int(num.Value)
						j += 2
						break
					}
				}
			}
		}
		if j > head+1 && strings.Contains(gap, ",") && !determiners[w] {
			break
		}
	}
	return n
}

// classify decides whether the count at words [first,last] is of dead
// people. A death word straight before it governs it ("killing 12",
// "tuant 12"); otherwise the verb after the noun does ("11 soldiers were
// killed and 50 civilians are missing": 50 are missing, not dead).
func (x *Extractor) classify(s *sentence, kind []string, first, last int) (dead, attacker bool) {
	// A count followed at once by its own verb ("one gendarme killed, two
	// wounded", "two soldiers killed and two others wounded") is that
	// verb's, whatever death word stands before it.
	if k, ok := x.ownVerb(s, kind, first, last); ok {
		for j := last + 1; j < k; j++ {
			attacker = attacker || kind[j] == "attacker"
		}
		return kind[k] == "dead", attacker
	}
	pre, preDist := "", 99
	for k := first - 1; k >= 0 && k >= first-3; k-- {
		if s.words[k].text == "and" || s.words[k].text == "et" {
			break
		}
		if strings.ContainsAny(s.text[s.words[k].orig:s.words[first].orig], ",;:") {
			break // "six were killed, one missing": another clause
		}
		if kind[k] == "dead" || kind[k] == "hurt" {
			pre, preDist = kind[k], first-k
			break
		}
	}
	post := ""
	for k := last + 1; k < len(s.words) && k <= last+10; k++ {
		if kind[k] == "attacker" && post == "" {
			attacker = true
		}
		if kind[k] == "dead" || kind[k] == "hurt" {
			post = kind[k]
			// "twenty people dead, wounded and missing": a count of
			// every casualty is no death toll
			if post == "dead" && k+1 < len(s.words) {
				n := k + 1
				switch s.words[n].text {
				case "and", "or", "et", "ou":
					n++
				}
				if n < len(s.words) && kind[n] == "hurt" {
					post = "hurt"
				}
			}
			break
		}
	}
	switch {
	case pre != "" && preDist <= 2:
		return pre == "dead", attacker
	case post != "":
		return post == "dead", attacker
	}
	return pre == "dead", attacker
}

// ownVerb finds a death or hurt word right after the count at
// first..last, past fillers and, unless a death word governs the count
// from just before ("the bodies of two herders kidnapped in August"), one
// noun; ok is false when something else comes first.
func (x *Extractor) ownVerb(s *sentence, kind []string, first, last int) (int, bool) {
	nouns := 0
	if first > 0 && kind[first-1] == "dead" || first > 1 && kind[first-2] == "dead" {
		nouns = 1
	}
	for k := last + 1; k < len(s.words) && k <= last+4; k++ {
		if strings.ContainsAny(s.text[s.words[k-1].orig:s.words[k].orig], ",;:(&") {
			return 0, false
		}
		w := s.words[k].text
		switch {
		case kind[k] == "dead" || kind[k] == "hurt":
			return k, true
		case x.lx.is("filler", w):
		case conjunctions[w] || nounPhraseEnd[w] || hasDigitWord(w):
			return 0, false
		case nouns == 0:
			nouns++ // "two soldiers wounded", "two assailants killed"
		default:
			return 0, false
		}
	}
	return 0, false
}

var conjunctions = map[string]bool{"and": true, "or": true, "et": true, "ou": true, "but": true, "mais": true}

func wordSpan(s *sentence, start, end int) (first, last int) {
	first, last = len(s.words), -1
	for k := range s.words {
		if s.words[k].orig >= start && s.words[k].orig < end {
			if k < first {
				first = k
			}
			last = k
		}
	}
	if last < first {
		last = first
	}
	return first, last
}

func inDate(s *sentence, pos int) bool {
	for _, d := range s.dates {
		if pos >= d.Start && pos < d.End {
			return true
		}
	}
	return false
}

func nounAfter(s *sentence, last int) string {
	for k := last + 1; k < len(s.words) && k <= last+4; k++ {
		if skip, ok := skipNoun[s.words[k].text]; ok && skip {
			continue
		}
		return strings.TrimSuffix(s.words[k].text, "s")
	}
	return ""
}

func (x *Extractor) attackerNoun(noun string) bool {
	if noun == "" {
		return false
	}
	for _, w := range []string{noun, noun + "s"} {
		for _, h := range x.lx.deaths.match([]word{{text: w}}) {
			if h.value == "attacker" {
				return true
			}
		}
	}
	return false
}

func (x *Extractor) personNoun(noun string) bool {
	for _, h := range x.lx.targets.match([]word{{text: noun}}) {
		switch noun {
		case "village", "mosque", "market", "bus", "school", "church", "post", "base", "camp", "convoy", "truck", "tanker", "marche":
			return false
		}
		_ = h
		return true
	}
	return false
}

// genericNouns count people without saying who they were: a figure for
// them is another version of the sentence's toll, not an addition to it.
var genericNouns = map[string]bool{"": true, "mort": true, "dead": true, "death": true, "victim": true,
	"victime": true, "people": true, "person": true, "personne": true, "fatalitie": true, "deces": true,
	"killed": true, "tue": true, "bodie": true, "corp": true}

// total is a sentence's death toll for one side: different nouns add up
// ("9 militants and 3 militiamen"); the same noun counted twice, or a
// count of people in general ("22 soldiers killed; a local official
// speaks of 30 dead"), is another version of the figure and the lowest
// wins. approx is true when every figure was approximate.
func total(fs []figure) (int, bool) {
	by := map[string]int{}
	generic := -1
	approx := true
	for _, f := range fs {
		approx = approx && f.approx
		if genericNouns[f.noun] {
			if generic < 0 || f.value < generic {
				generic = f.value
			}
			continue
		}
		if v, ok := by[f.noun]; !ok || f.value < v {
			by[f.noun] = f.value
		}
	}
	t := 0
	for _, v := range by {
		t += v
	}
	switch {
	case len(by) == 0:
		t = generic
	case generic >= 0:
		t = min(t, generic)
	}
	return min(t, 1_000_000), approx
}
