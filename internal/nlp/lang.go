package nlp

// Lang guesses whether text is English or French by counting frequent
// function words (data/stopwords.txt) in its first 20,000 bytes. It returns
// "en", "fr", or "other" when neither language has at least three hits and a
// clear lead. It is a fallback for reports that come without a language.
func Lang(text string) string {
	if len(text) > 20000 {
		text = text[:20000]
	}
	d := newDoc(text)
	l := getLex()
	en, fr := 0, 0
	for i := range d.toks {
		if d.toks[i].kind != tWord {
			continue
		}
		switch l.stopwords[d.text(i)] {
		case "en":
			en++
		case "fr":
			fr++
		}
	}
	switch {
	case en >= 3 && en > 2*fr:
		return "en"
	case fr >= 3 && fr > 2*en:
		return "fr"
	}
	return "other"
}
