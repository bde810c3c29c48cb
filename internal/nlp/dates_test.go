package nlp

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// pub is a Thursday.
var pub = time.Date(2025, 9, 18, 14, 30, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

type dw struct {
	text           string
	date, from, to string
	prec           int
	rel, yearOnly  bool
}

func TestDates(t *testing.T) {
	tests := []struct {
		in, lang string
		want     []dw
	}{
		// absolute
		{"On March 25, gunmen attacked.", "en", []dw{{"March 25", "2025-03-25", "2025-03-25", "2025-03-25", 1, false, false}}},
		{"Troops arrived on 25 March.", "en", []dw{{"25 March", "2025-03-25", "2025-03-25", "2025-03-25", 1, false, false}}},
		{"March 25, 2024 was calm.", "en", []dw{{"March 25, 2024", "2024-03-25", "2024-03-25", "2024-03-25", 1, false, false}}},
		{"Wednesday, December 3, 2025", "en", []dw{{"Wednesday, December 3, 2025", "2025-12-03", "2025-12-03", "2025-12-03", 1, false, false}}},
		{"on 17 September 2024", "en", []dw{{"17 September 2024", "2024-09-17", "2024-09-17", "2024-09-17", 1, false, false}}},
		{"September 17th", "en", []dw{{"September 17th", "2025-09-17", "2025-09-17", "2025-09-17", 1, false, false}}},
		{"le 25 mars", "fr", []dw{{"25 mars", "2025-03-25", "2025-03-25", "2025-03-25", 1, false, false}}},
		{"mardi 25 mars 2025", "fr", []dw{{"mardi 25 mars 2025", "2025-03-25", "2025-03-25", "2025-03-25", 1, false, false}}},
		{"le 1er avril", "fr", []dw{{"1er avril", "2025-04-01", "2025-04-01", "2025-04-01", 1, false, false}}},
		{"le 2024-09-17", "", []dw{{"2024-09-17", "2024-09-17", "2024-09-17", "2024-09-17", 1, false, false}}},
		{"le 17/09/2024", "", []dw{{"17/09/2024", "2024-09-17", "2024-09-17", "2024-09-17", 1, false, false}}},
		{"du 12 au 15 septembre", "fr", []dw{{"12 au 15 septembre", "2025-09-12", "2025-09-12", "2025-09-15", 2, false, false}}},
		{"on the 3rd of March", "en", []dw{{"3rd of March", "2025-03-03", "2025-03-03", "2025-03-03", 1, false, false}}},
		{"Sept. 17", "en", []dw{{"Sept. 17", "2025-09-17", "2025-09-17", "2025-09-17", 1, false, false}}},
		{"les 17 et 18 mars", "fr", []dw{{"17 et 18 mars", "2025-03-17", "2025-03-17", "2025-03-18", 1, false, false}}},
		{"le 31 avril", "fr", nil},
		// year inference: up to 7 days after publication stays in the year
		{"on September 24", "en", []dw{{"September 24", "2025-09-24", "2025-09-24", "2025-09-24", 1, false, false}}},
		{"on September 30", "en", []dw{{"September 30", "2024-09-30", "2024-09-30", "2024-09-30", 1, false, false}}},
		{"le 20 décembre", "fr", []dw{{"20 décembre", "2024-12-20", "2024-12-20", "2024-12-20", 1, false, false}}},
		// weekdays
		{"on Sunday", "en", []dw{{"Sunday", "2025-09-14", "2025-09-14", "2025-09-14", 1, true, false}}},
		{"Sunday night", "en", []dw{{"Sunday", "2025-09-14", "2025-09-14", "2025-09-14", 1, true, false}}},
		{"on Thursday", "en", []dw{{"Thursday", "2025-09-18", "2025-09-18", "2025-09-18", 1, true, false}}},
		{"last Tuesday", "en", []dw{{"last Tuesday", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"last Thursday", "en", []dw{{"last Thursday", "2025-09-11", "2025-09-11", "2025-09-11", 1, true, false}}},
		{"mardi", "fr", []dw{{"mardi", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"mardi dernier", "fr", []dw{{"mardi dernier", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"ce lundi", "fr", []dw{{"lundi", "2025-09-15", "2025-09-15", "2025-09-15", 1, true, false}}},
		{"next Monday", "en", nil},
		{"lundi prochain", "fr", nil},
		// nights
		{"dans la nuit de lundi à mardi", "fr", []dw{{"nuit de lundi à mardi", "2025-09-15", "2025-09-15", "2025-09-16", 1, true, false}}},
		{"dans la nuit du 16 au 17 septembre", "fr", []dw{{"nuit du 16 au 17 septembre", "2025-09-16", "2025-09-16", "2025-09-17", 1, false, false}}},
		{"dans la nuit du 31 août au 1er septembre", "fr", []dw{{"nuit du 31 août au 1er septembre", "2025-08-31", "2025-08-31", "2025-09-01", 1, false, false}}},
		{"overnight Monday to Tuesday", "en", []dw{{"overnight Monday to Tuesday", "2025-09-15", "2025-09-15", "2025-09-16", 1, true, false}}},
		{"on the night of 16-17 September", "en", []dw{{"night of 16-17 September", "2025-09-16", "2025-09-16", "2025-09-17", 1, false, false}}},
		{"dans la nuit de mercredi à jeudi", "fr", []dw{{"nuit de mercredi à jeudi", "2025-09-17", "2025-09-17", "2025-09-18", 1, true, false}}},
		// relative
		{"yesterday", "en", []dw{{"yesterday", "2025-09-17", "2025-09-17", "2025-09-17", 1, true, false}}},
		{"hier matin", "fr", []dw{{"hier", "2025-09-17", "2025-09-17", "2025-09-17", 1, true, false}}},
		{"today", "en", []dw{{"today", "2025-09-18", "2025-09-18", "2025-09-18", 1, true, false}}},
		{"aujourd'hui", "fr", []dw{{"aujourd'hui", "2025-09-18", "2025-09-18", "2025-09-18", 1, true, false}}},
		{"ce jour", "fr", []dw{{"ce jour", "2025-09-18", "2025-09-18", "2025-09-18", 1, true, false}}},
		{"the day before yesterday", "en", []dw{{"the day before yesterday", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"avant-hier", "fr", []dw{{"avant-hier", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"three days ago", "en", []dw{{"three days ago", "2025-09-15", "2025-09-15", "2025-09-15", 1, true, false}}},
		{"2 days ago", "en", []dw{{"2 days ago", "2025-09-16", "2025-09-16", "2025-09-16", 1, true, false}}},
		{"il y a quatre jours", "fr", []dw{{"il y a quatre jours", "2025-09-14", "2025-09-14", "2025-09-14", 1, true, false}}},
		{"last week", "en", []dw{{"last week", "2025-09-11", "2025-09-05", "2025-09-17", 2, true, false}}},
		{"la semaine dernière", "fr", []dw{{"la semaine dernière", "2025-09-11", "2025-09-05", "2025-09-17", 2, true, false}}},
		{"this week", "en", []dw{{"this week", "2025-09-15", "2025-09-12", "2025-09-18", 2, true, false}}},
		{"cette semaine", "fr", []dw{{"cette semaine", "2025-09-15", "2025-09-12", "2025-09-18", 2, true, false}}},
		{"earlier this month", "en", []dw{{"earlier this month", "2025-09-09", "2025-09-01", "2025-09-18", 3, true, false}}},
		{"last month", "en", []dw{{"last month", "2025-08-15", "2025-08-01", "2025-08-31", 3, true, false}}},
		{"le mois dernier", "fr", []dw{{"le mois dernier", "2025-08-15", "2025-08-01", "2025-08-31", 3, true, false}}},
		{"last night", "en", []dw{{"last night", "2025-09-17", "2025-09-17", "2025-09-18", 1, true, false}}},
		{"la nuit dernière", "fr", []dw{{"la nuit dernière", "2025-09-17", "2025-09-17", "2025-09-18", 1, true, false}}},
		// months and parts
		{"in July", "en", []dw{{"in July", "2025-07-15", "2025-07-01", "2025-07-31", 3, false, false}}},
		{"en juillet", "fr", []dw{{"en juillet", "2025-07-15", "2025-07-01", "2025-07-31", 3, false, false}}},
		{"in December", "en", []dw{{"in December", "2024-12-15", "2024-12-01", "2024-12-31", 3, false, false}}},
		{"in September", "en", []dw{{"in September", "2025-09-15", "2025-09-01", "2025-09-18", 3, false, false}}},
		{"July 2024", "en", []dw{{"July 2024", "2024-07-15", "2024-07-01", "2024-07-31", 3, false, false}}},
		{"juillet 2024", "fr", []dw{{"juillet 2024", "2024-07-15", "2024-07-01", "2024-07-31", 3, false, false}}},
		{"early March", "en", []dw{{"early March", "2025-03-05", "2025-03-01", "2025-03-10", 2, false, false}}},
		{"mid-March", "en", []dw{{"mid-March", "2025-03-15", "2025-03-11", "2025-03-20", 2, false, false}}},
		{"late March", "en", []dw{{"late March", "2025-03-25", "2025-03-21", "2025-03-31", 2, false, false}}},
		{"début mars", "fr", []dw{{"début mars", "2025-03-05", "2025-03-01", "2025-03-10", 2, false, false}}},
		{"mi-mars", "fr", []dw{{"mi-mars", "2025-03-15", "2025-03-11", "2025-03-20", 2, false, false}}},
		{"fin février", "fr", []dw{{"fin février", "2025-02-25", "2025-02-21", "2025-02-28", 2, false, false}}},
		// seasons and years
		{"this summer", "en", []dw{{"this summer", "2025-07-16", "2025-06-01", "2025-08-31", 3, true, false}}},
		{"cet été", "fr", []dw{{"cet été", "2025-07-16", "2025-06-01", "2025-08-31", 3, true, false}}},
		{"l'hiver dernier", "fr", []dw{{"l'hiver dernier", "2025-01-14", "2024-12-01", "2025-02-28", 3, true, false}}},
		{"last year", "en", []dw{{"last year", "2024-07-01", "2024-01-01", "2024-12-31", 3, true, true}}},
		{"l'an dernier", "fr", []dw{{"l'an dernier", "2024-07-01", "2024-01-01", "2024-12-31", 3, true, true}}},
		{"in 2012", "en", []dw{{"in 2012", "2012-07-01", "2012-01-01", "2012-12-31", 3, false, true}}},
		{"à la fin de 2023", "fr", []dw{{"fin de 2023", "2023-07-01", "2023-01-01", "2023-12-31", 3, false, true}}},
		{"since 2015", "en", []dw{{"since 2015", "2015-07-01", "2015-01-01", "2015-12-31", 3, false, true}}},
		{"en 2012", "fr", []dw{{"en 2012", "2012-07-01", "2012-01-01", "2012-12-31", 3, false, true}}},
		// ambiguity
		{"Jihadists may attack again.", "en", nil},
		{"they may 5 times", "en", nil},
		{"In May the rains came.", "en", []dw{{"In May", "2025-05-15", "2025-05-01", "2025-05-31", 3, false, false}}},
		{"2000 people fled", "en", nil},
		{"the first of many", "en", nil},
		// language filter
		{"mardi", "en", nil},
		{"Tuesday", "fr", nil},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Dates(tt.in, tt.lang, pub)
			if len(got) != len(tt.want) {
				t.Fatalf("Dates(%q) = %d refs %+v, want %d", tt.in, len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				gw := dw{tt.in[g.Start:g.End], g.Date.Format(time.DateOnly), g.From.Format(time.DateOnly), g.To.Format(time.DateOnly), g.Precision, g.Relative, g.YearOnly}
				if gw != w {
					t.Errorf("Dates(%q)[%d]\n got %+v\nwant %+v", tt.in, i, gw, w)
				}
			}
		})
	}
}

func TestDatesWithoutPublication(t *testing.T) {
	for _, s := range []string{"yesterday", "on Sunday", "le 25 mars", "in July", "mardi dernier", "last week", "il y a deux jours"} {
		if got := Dates(s, "", time.Time{}); len(got) != 0 {
			t.Errorf("Dates(%q, zero) = %+v, want none", s, got)
		}
	}
	got := Dates("le 25 mars 2024 et en 2012", "fr", time.Time{})
	if len(got) != 2 || !got[0].Date.Equal(day("2024-03-25")) || !got[1].YearOnly {
		t.Errorf("absolute dates without publication: %+v", got)
	}
}

func TestDatesHostile(t *testing.T) {
	for _, s := range []string{
		strings.Repeat("nuit du ", 50_000),
		strings.Repeat("16-", 50_000),
		strings.Repeat("il y a ", 50_000),
		strings.Repeat("\xffmars\xfe", 20_000),
		strings.Repeat("Le 25 mars, des hommes armés ont attaqué. On Sunday gunmen struck. ", 75_000), // ~5 MB
	} {
		checkDates(t, s, Dates(s, "", pub))
	}
}

func checkDates(t *testing.T, text string, got []DateRef) {
	t.Helper()
	prev := 0
	valid := utf8.ValidString(text)
	for _, g := range got {
		if g.Start < prev || g.Start >= g.End || g.End > len(text) {
			t.Fatalf("bad date span %+v (prev end %d, len %d)", g, prev, len(text))
		}
		if valid && !utf8.ValidString(text[g.Start:g.End]) {
			t.Fatalf("span %+v splits a rune", g)
		}
		if g.From.After(g.To) || g.Date.Before(g.From) || g.Date.After(g.To) || g.Precision < 1 || g.Precision > 3 {
			t.Fatalf("inconsistent date %+v in %q", g, text[g.Start:g.End])
		}
		prev = g.End
	}
}
