package nlp

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// n is a compact expectation: the matched text and the Number fields.
type n struct {
	text                   string
	value, low, high       int
	approx, atLeast, vague bool
}

func exact(text string, v int) n   { return n{text: text, value: v, low: v, high: v} }
func approx(text string, v int) n  { return n{text: text, value: v, low: v, high: v, approx: true} }
func atLeast(text string, v int) n { return n{text: text, value: v, low: v, high: v, atLeast: true} }
func vague(text string) n          { return n{text: text, vague: true} }

func TestNumbers(t *testing.T) {
	tests := []struct {
		in   string
		want []n
	}{
		// digits
		{"Gunmen killed 21 villagers.", []n{exact("21", 21)}},
		{"Some 1,000 people fled.", []n{approx("Some 1,000", 1000)}},
		{"Plus de 1 000 personnes ont fui.", []n{atLeast("Plus de 1 000", 1000)}},
		{"1.000 déplacés", []n{exact("1.000", 1000)}},
		{"2.5 million people need aid", []n{exact("2.5 million", NumberCap)}},
		{"1,000,000,000,000 rounds", []n{exact("1,000,000,000,000", NumberCap)}},
		{"99999999999999999999999999999 x", []n{exact("99999999999999999999999999999", NumberCap)}},
		// qualifiers
		{"At least 40 people were killed.", []n{atLeast("At least 40", 40)}},
		{"more than 30 soldiers", []n{atLeast("more than 30", 30)}},
		{"au moins douze civils", []n{atLeast("au moins douze", 12)}},
		{"about forty fighters", []n{approx("about forty", 40)}},
		{"près de 50 morts", []n{approx("près de 50", 50)}},
		{"environ trois cents hommes", []n{approx("environ trois cents", 300)}},
		// ranges
		{"30 to 40 dead", []n{{text: "30 to 40", value: 30, low: 30, high: 40}}},
		{"entre 30 et 40 morts", []n{{text: "entre 30 et 40", value: 30, low: 30, high: 40}}},
		{"between ten and fifteen", []n{{text: "between ten and fifteen", value: 10, low: 10, high: 15}}},
		{"30-40 dead", []n{{text: "30-40", value: 30, low: 30, high: 40}}},
		{"de 20 à 25 assaillants", []n{{text: "20 à 25", value: 20, low: 20, high: 25}}},
		// words
		{"twenty-one soldiers", []n{exact("twenty-one", 21)}},
		{"one hundred and twenty people", []n{exact("one hundred and twenty", 120)}},
		{"vingt et un soldats", []n{exact("vingt et un", 21)}},
		{"quatre-vingt-dix morts", []n{exact("quatre-vingt-dix", 90)}},
		{"quatre-vingts blessés", []n{exact("quatre-vingts", 80)}},
		{"soixante-dix-sept", []n{exact("soixante-dix-sept", 77)}},
		{"soixante et onze", []n{exact("soixante et onze", 71)}},
		{"cent vingt civils", []n{exact("cent vingt", 120)}},
		{"deux mille cinq cents déplacés", []n{exact("deux mille cinq cents", 2500)}},
		{"three thousand", []n{exact("three thousand", 3000)}},
		{"a hundred fighters", []n{exact("a hundred", 100)}},
		{"two and three", []n{exact("two", 2), exact("three", 3)}},
		// collectives (ACLED rules)
		{"dozens of civilians", []n{approx("dozens", 12)}},
		{"a dozen soldiers", []n{approx("a dozen", 12)}},
		{"une douzaine de soldats", []n{approx("une douzaine", 12)}},
		{"two dozen", []n{approx("two dozen", 24)}},
		{"tens of civilians", []n{approx("tens", 10)}},
		{"tens of thousands fled", []n{approx("tens of thousands", 10000)}},
		{"hundreds were displaced", []n{approx("hundreds", 100)}},
		{"des dizaines de morts", []n{approx("dizaines", 10)}},
		{"des centaines de déplacés", []n{approx("centaines", 100)}},
		{"une dizaine d'assaillants", []n{approx("une dizaine", 10)}},
		{"une vingtaine de motos", []n{approx("une vingtaine", 20)}},
		{"une trentaine de civils", []n{approx("une trentaine", 30)}},
		{"une quarantaine de personnes", []n{approx("une quarantaine", 40)}},
		{"une centaine d'hommes", []n{approx("une centaine", 100)}},
		{"plus d'une centaine de morts", []n{{text: "plus d'une centaine", value: 100, low: 100, high: 100, approx: true, atLeast: true}}},
		{"plusieurs dizaines de civils", []n{approx("plusieurs dizaines", 10)}},
		{"des milliers de déplacés", []n{approx("milliers", 1000)}},
		// vague
		{"several soldiers", []n{vague("several")}},
		{"plusieurs soldats", []n{vague("plusieurs")}},
		{"some villagers", []n{vague("some")}},
		{"a few fighters", []n{vague("a few")}},
		{"quelques assaillants", []n{vague("quelques")}},
		{"de nombreux civils", []n{vague("de nombreux")}},
		{"many people", []n{vague("many")}},
		// not counts
		{"On March 25, 2025 they struck.", nil},
		{"le 25 mars 2025", nil},
		{"Sept. 17", nil},
		{"in 2024 and en 2012 and since 2015", nil},
		{"the first attack, the 3rd convoy, le premier soldat, le 1er bataillon", nil},
		{"one of the soldiers", nil},
		{"l'un des soldats", nil},
		{"l'une des victimes", nil},
		{"un soldat a été tué", nil},
		{"40% of the area, 40 per cent, 40 pour cent", nil},
		{"at 14h30, at 10:30, 17/09/2024, 2024-09-17", nil},
		{"the G5 Sahel on the RN16, 12 km away, 25 ans", nil},
		{"$500 and €300", nil},
		{"resolution 2719", nil},
		{"no one was hurt", nil},
		{"2.5 times", nil},
		{"the war began [10] and a 10-year-old boy died at 4 pm (1500 GMT)", nil},
		{"Bestseller No. 1", nil},
		{"Steps:\n 1. Read\n 2. Share", nil},
		{"built between 6 and 18 August", nil},
		{"à la fin de 2023", nil},
		{"in just one week", nil},
		{"trente-et-un soldats", []n{exact("trente-et-un", 31)}},
		{"several hundred civilians", []n{approx("several hundred", 100)}},
		{"plus de 2000 morts", []n{atLeast("plus de 2000", 2000)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Numbers(tt.in)
			var gotN []n
			for _, g := range got {
				gotN = append(gotN, n{tt.in[g.Start:g.End], g.Value, g.Low, g.High, g.Approx, g.AtLeast, g.Vague})
			}
			if fmt.Sprint(gotN) != fmt.Sprint(tt.want) {
				t.Errorf("Numbers(%q)\n got %+v\nwant %+v", tt.in, gotN, tt.want)
			}
		})
	}
}

func TestNumbersHostile(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("9", 100_000),
		strings.Repeat("1,000", 50_000),
		strings.Repeat("vingt-", 50_000),
		strings.Repeat("one hundred and ", 30_000),
		strings.Repeat("\xff\xfe 12 ", 10_000),
		strings.Repeat("At least 40 people were killed and une quarantaine blessés. ", 80_000), // ~5 MB
	} {
		checkNumbers(t, s, Numbers(s))
	}
}

func checkNumbers(t *testing.T, text string, got []Number) {
	t.Helper()
	prev := 0
	valid := utf8.ValidString(text)
	for _, g := range got {
		if g.Start < prev || g.Start >= g.End || g.End > len(text) {
			t.Fatalf("bad number span %+v (prev end %d, len %d)", g, prev, len(text))
		}
		if valid && !utf8.ValidString(text[g.Start:g.End]) {
			t.Fatalf("span %+v splits a rune", g)
		}
		if g.Value < 0 || g.Value > NumberCap || g.High > NumberCap || g.Low > g.High {
			t.Fatalf("bad values %+v", g)
		}
		prev = g.End
	}
}
