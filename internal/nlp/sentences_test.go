package nlp

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func sentenceTexts(text string) []string {
	var out []string
	for _, sp := range Sentences(text) {
		out = append(out, text[sp.Start:sp.End])
	}
	return out
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"simple", "Gunmen attacked a convoy. Five soldiers died.", []string{"Gunmen attacked a convoy.", "Five soldiers died."}},
		{"question and exclamation", "Who fired first? Nobody knows! The inquiry goes on.", []string{"Who fired first?", "Nobody knows!", "The inquiry goes on."}},
		{"english titles", "Gen. Diarra met Lt. Col. Keita and Mr. Ba in Bamako. They spoke.", []string{"Gen. Diarra met Lt. Col. Keita and Mr. Ba in Bamako.", "They spoke."}},
		{"us", "The U.S. embassy closed. Staff left.", []string{"The U.S. embassy closed.", "Staff left."}},
		{"us at end before capital", "Aid came from the U.S. The army thanked them.", []string{"Aid came from the U.S.", "The army thanked them."}},
		{"month abbreviation", "On Jan. 5 the base fell. Troops fled.", []string{"On Jan. 5 the base fell.", "Troops fled."}},
		{"decimal", "The toll rose 2.5 times in a year. Aid fell.", []string{"The toll rose 2.5 times in a year.", "Aid fell."}},
		{"initials", "J. R. Smith wrote the report. It was long.", []string{"J. R. Smith wrote the report.", "It was long."}},
		{"french titles", "M. Traoré et Mme Coulibaly ont rencontré le Gén. Sangaré. Ils ont parlé.", []string{"M. Traoré et Mme Coulibaly ont rencontré le Gén. Sangaré.", "Ils ont parlé."}},
		{"french era", "La ville fut fondée vers 300 av. J.-C. par des pêcheurs. Elle a grandi.", []string{"La ville fut fondée vers 300 av. J.-C. par des pêcheurs.", "Elle a grandi."}},
		{"etc", "Ils ont pris des motos, des armes, etc. et sont partis. Puis rien.", []string{"Ils ont pris des motos, des armes, etc. et sont partis.", "Puis rien."}},
		{"closing quote", `"We will strike again." The group then left.`, []string{`"We will strike again."`, "The group then left."}},
		{"french guillemets", "Il a dit : « Nous reviendrons. » Puis il est parti.", []string{"Il a dit : « Nous reviendrons. »", "Puis il est parti."}},
		{"closing bracket", "The army replied (it denied everything.) Then silence.", []string{"The army replied (it denied everything.)", "Then silence."}},
		{"headline", "Attack near Mopti\nGunmen killed ten people on Sunday.", []string{"Attack near Mopti", "Gunmen killed ten people on Sunday."}},
		{"paragraphs", "First paragraph without stop\n\nSecond one.", []string{"First paragraph without stop", "Second one."}},
		{"wrapped line", "The attack took place near the\ntown of Djibo on Monday.", []string{"The attack took place near the\ntown of Djibo on Monday."}},
		{"ellipsis lower", "They waited... and waited. Nothing came.", []string{"They waited... and waited.", "Nothing came."}},
		{"trim spaces", "   One.   Two.   ", []string{"One.", "Two."}},
		{"no punctuation", "just words", []string{"just words"}},
		{"empty", "", nil},
		{"spaces only", "  \n\n  ", nil},
		{"url", "See example.com for more. Then go.", []string{"See example.com for more.", "Then go."}},
		{"crlf", "Titre\r\nLe texte suit.", []string{"Titre", "Le texte suit."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceTexts(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Sentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSentencesHostile(t *testing.T) {
	endless := strings.Repeat("word ", 200_000) // one 1 MB sentence
	if got := Sentences(endless); len(got) != 1 {
		t.Errorf("endless sentence: %d spans, want 1", len(got))
	}
	dots := strings.Repeat(".", 100_000)
	checkSpans(t, dots, Sentences(dots))
	bad := "Un.\xff\xfe Deux. \xc3"
	checkSpans(t, bad, Sentences(bad))
	big := strings.Repeat("Gunmen killed 12 people on Sunday near Gao. Des hommes armés ont tué 12 personnes. ", 60_000)
	spans := Sentences(big)
	checkSpans(t, big, spans)
	if len(spans) != 120_000 {
		t.Errorf("5 MB text: %d sentences, want 120000", len(spans))
	}
}

func checkSpans(t *testing.T, text string, spans []Span) {
	t.Helper()
	prev := 0
	valid := utf8.ValidString(text)
	for _, sp := range spans {
		if sp.Start < prev || sp.Start >= sp.End || sp.End > len(text) {
			t.Fatalf("bad span %+v (prev end %d, len %d)", sp, prev, len(text))
		}
		if valid && !utf8.ValidString(text[sp.Start:sp.End]) {
			t.Fatalf("span %+v splits a rune", sp)
		}
		prev = sp.End
	}
}
