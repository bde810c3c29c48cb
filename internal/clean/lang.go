package clean

import (
	"strings"

	"github.com/abadojack/whatlanggo"
)

var enfr = whatlanggo.Options{Whitelist: map[whatlanggo.Lang]bool{whatlanggo.Eng: true, whatlanggo.Fra: true}}

// language names the text's language as "en", "fr" or "other". The prior
// (a page's or feed's declared language, or a caller's guess) decides when
// the text is too short or too mixed for the detector to be reliable.
func (c *Cleaner) language(text, prior string) string {
	prior = normLang(prior)
	sample := text
	// Trigram statistics settle well within a few thousand bytes.
	if len(sample) > 3000 {
		sample = sample[:3000]
		for len(sample) > 0 && sample[len(sample)-1]&0xC0 == 0x80 {
			sample = sample[:len(sample)-1]
		}
	}
	if strings.TrimSpace(sample) == "" {
		if prior == "" {
			return "other"
		}
		return prior
	}
	// Fast path: prose that is plainly English or French by its function
	// words needs no trigram model.
	if l := c.stopVote(sample); l != "" && (prior == "" || prior == l) {
		return l
	}
	all := whatlanggo.Detect(sample)
	switch all.Lang {
	case whatlanggo.Eng:
		if all.IsReliable() || prior == "" || prior == "en" {
			return "en"
		}
	case whatlanggo.Fra:
		if all.IsReliable() || prior == "" || prior == "fr" {
			return "fr"
		}
	default:
		if all.IsReliable() && all.Confidence > 0.5 && prior != "en" && prior != "fr" {
			return "other"
		}
	}
	if prior != "" {
		return prior
	}
	if all.Script != nil && all.Lang != whatlanggo.Eng && all.Lang != whatlanggo.Fra && !all.IsReliable() {
		// A Latin-script text between languages: settle on English or French.
		switch whatlanggo.DetectWithOptions(sample, enfr).Lang {
		case whatlanggo.Fra:
			return "fr"
		case whatlanggo.Eng:
			return "en"
		}
	}
	return "other"
}

// normLang maps "fr-FR", "fra", "French" and the like to en, fr, other or "".
func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return ""
	case s == "en" || s == "eng" || s == "english" || strings.HasPrefix(s, "en-") || strings.HasPrefix(s, "en_"):
		return "en"
	case s == "fr" || s == "fra" || s == "fre" || s == "french" || s == "français" || strings.HasPrefix(s, "fr-") || strings.HasPrefix(s, "fr_"):
		return "fr"
	}
	return "other"
}

// stopVote returns "en" or "fr" when one language's stop words clearly
// dominate the sample, else "".
func (c *Cleaner) stopVote(s string) string {
	var en, fr, n int
	for _, w := range strings.Fields(s) {
		fw := foldWord(w)
		if fw == "" {
			continue
		}
		n++
		if c.lx.stop["en"][fw] {
			en++
		}
		if c.lx.stop["fr"][fw] {
			fr++
		}
	}
	switch {
	case n < 30:
		return ""
	case en*100 >= n*25 && fr*100 <= n*6:
		return "en"
	case fr*100 >= n*25 && en*100 <= n*6:
		return "fr"
	}
	return ""
}
