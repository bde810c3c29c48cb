package clean

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/event"
	"golang.org/x/net/html"
)

func newCleaner(t testing.TB) *Cleaner {
	t.Helper()
	c, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCleanFixtures(t *testing.T) {
	tests := []struct {
		file       string
		lang       string
		date       string // want Published, YYYY-MM-DD
		dateSource string
		keep, drop []string
	}{
		{
			file: "junk_en.txt", lang: "en", date: "2025-03-04", dateSource: "dateline", // year from the citation
			keep: []string{
				"Soldiers repel dawn raid on army post near Menaka",
				"MENAKA, March 4 (Sahel Wire) – Gunmen on motorbikes",
				"Heavy losses in the north",
				"four soldiers were wounded",
				"shops in the town stayed closed",
				"could be heard from the central market.",
			},
			drop: []string{"daily deals", "Bestseller", "Related News", "Drought pushes herders",
				"New road opens", "Read also", "Photo:", "Help keep us", "We need your help",
				"Subscribe", "credit card", "# Mali", "Comment (0)", "Comments (Atom)",
				"By Staff Reporter", "Add to your selections", "© Sahel Wire", "Sources", "((en))"},
		},
		{
			file: "junk_fr.txt", lang: "fr", date: "2025-03-12", dateSource: "dateline",
			keep: []string{
				"Burkina Faso : une patrouille prise en embuscade près de Djibo",
				"Une patrouille de l'armée burkinabè",
				"Les assaillants, arrivés à moto",
				"Un bilan lourd",
				"plusieurs blessés évacués",
			},
			drop: []string{"Politique", "© Autre presse", "Lire aussi", "Ajouter à vos sélections",
				"Abonnez-vous", "Soutenez", "Commentaires (3)", "#Burkina", "Sur le même sujet",
				"Le prix du mil", "Une école rouvre", "Par Aminata", "Meilleures ventes", "Photo : DR",
				"Bons plans", "carte bancaire", "Aidez-nous", "Nous comptons sur vos dons", "Contribuer",
				"Publier les commentaires", "Sources", "((fr))"},
		},
		{
			// A blog page: junk boxes around the post, a theme that calls
			// the post body "share", a standfirst above the body.
			file: "blog_en.html", lang: "en", date: "2025-03-09", dateSource: "html-meta",
			keep: []string{
				"Herders and farmers clash near Bankass",
				"A dispute over a dry-season well turned violent near Bankass",
				"Fighting broke out on Saturday afternoon",
				"at least five people were killed",
				"Families leave",
				"| Item | Count |\n| Dead | 5 |\n| Huts burned | 12 |",
			},
			drop: []string{"daily deals", "Bestseller No. 1", "Posted by", "Photo: Field Desk", "#Mali",
				"Help keep us", "We need your help", "Contribute", "credit card", "Related News",
				"Rains come early", "Sources", "((en))", "Comment (0)", "Add to your selections",
				"Subscribe to", "Comments (Atom)"},
		},
		{
			file: "blog_fr.html", lang: "fr", date: "2025-02-03", dateSource: "html-meta",
			keep: []string{
				"Niger : des écoles fermées après des menaces à Téra",
				"Une dizaine d'écoles de la commune de Téra ont fermé leurs portes",
				"des hommes armés ont fait le tour de plusieurs villages",
				"Écoles fermées : une dizaine\nÉlèves concernés : plus de deux mille",
				"Les parents d'élèves craignent",
				"Les autorités régionales ont promis",
			},
			drop: []string{"Accueil", "Bons plans", "Par Moussa", "© Autre presse", "Lire aussi",
				"La rentrée reportée", "#Niger", "Ajouter à vos sélections", "Commentaire (0)",
				"Sources", "((fr))", "Tous droits réservés"},
		},
		{
			file: "article_en.html", lang: "en", date: "2025-02-14", dateSource: "html-meta",
			keep: []string{
				"A supply convoy escorted by the army came under fire",
				"Traffic halted",
				"Fuel trucks burned: at least six",
				"Ansongo",
				"No group has claimed the attack so far",
			},
			drop: []string{"Subscribe to our newsletter", "Rains bring relief", "Share on Facebook",
				"Great article", "All rights reserved"},
		},
		{
			file: "article_fr.html", lang: "fr", date: "2025-04-03", dateSource: "html-meta",
			keep: []string{
				"Un poste de gendarmerie a été attaqué dans la nuit de mardi à mercredi",
				"les assaillants sont arrivés en grand nombre",
				"plusieurs blessés ont été transportés à l'hôpital régional",
			},
			drop: []string{"Lire aussi", "Abonnez-vous", "Nous utilisons des cookies", "Accueil"},
		},
	}
	c := newCleaner(t)
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r := &event.Report{Doc: tt.file, Raw: readFixture(t, tt.file)}
			if err := c.Clean(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if r.Lang != tt.lang {
				t.Errorf("Lang = %q, want %q", r.Lang, tt.lang)
			}
			got := ""
			if !r.Published.IsZero() {
				got = r.Published.Format(time.DateOnly)
			}
			if got != tt.date || (tt.date != "" && r.DateSource != tt.dateSource) {
				t.Errorf("Published = %q (%s), want %q (%s)", got, r.DateSource, tt.date, tt.dateSource)
			}
			for _, k := range tt.keep {
				if !strings.Contains(r.Text, k) {
					t.Errorf("lost %q", k)
				}
			}
			for _, d := range tt.drop {
				if strings.Contains(r.Text, d) {
					t.Errorf("kept junk %q", d)
				}
			}
			if t.Failed() {
				t.Logf("text:\n%s", r.Text)
			}
		})
	}
}

func TestCleanHTMLMetadata(t *testing.T) {
	c := newCleaner(t)
	r := &event.Report{Doc: "meta", Raw: readFixture(t, "article_en.html")}
	if err := c.Clean(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if r.Format != "html" || r.Title != "Convoy attacked on the Gao road" || r.Author != "Staff reporter" ||
		r.URL != "https://sahelwire.example/2025/02/convoy-gao-road" {
		t.Errorf("got format %q title %q author %q url %q", r.Format, r.Title, r.Author, r.URL)
	}
	// Input metadata wins over the page's.
	in := time.Date(2025, 2, 15, 0, 0, 0, 0, time.UTC)
	r = &event.Report{Doc: "meta", Raw: readFixture(t, "article_en.html"), Published: in, DateSource: "feed", URL: "https://feed.example/x"}
	if err := c.Clean(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if !r.Published.Equal(in) || r.DateSource != "feed" || r.URL != "https://feed.example/x" {
		t.Errorf("input metadata overwritten: %v %q %q", r.Published, r.DateSource, r.URL)
	}
}

func TestDateline(t *testing.T) {
	tests := []struct{ text, want string }{
		{"Wednesday, December 3, 2025\nMali-Jihadists Make Gains", "2025-12-03"},
		{"Titre\nPublié le 19 septembre 2024\nTexte", "2024-09-19"},
		{"Le 20/05/2022 à 13h36, mis à jour le 20/05/2022 à 13h50", "2022-05-20"},
		{"October 7, 2024: In neighboring Burkina Faso, gunmen attacked.", "2024-10-07"},
		{"Bamako, July 27 (Reuters) – Fighting broke out in 2024 near the border.", "2024-07-27"},
		{"Mis à jour le 1er août 2023 à 10h", "2023-08-01"},
		{"On 24 August 2024, gunmen killed civilians.", ""}, // an event date, not a dateline
		{"Nothing dated here.", ""},
		{"February 30, 2024", ""},
	}
	c := newCleaner(t)
	for _, tt := range tests {
		got := ""
		if d, ok := c.findDateline(tt.text); ok {
			got = d.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("findDateline(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	c := newCleaner(t)
	tests := []struct{ text, prior, want string }{
		{"The army said that several soldiers were killed in the attack on the base near the border.", "", "en"},
		{"L'armée a indiqué que plusieurs soldats ont été tués lors de l'attaque contre la base près de la frontière.", "", "fr"},
		{"Die Armee teilte mit, dass mehrere Soldaten bei dem Angriff auf den Stützpunkt getötet wurden.", "", "other"},
		{"Gao, Ménaka", "fr-FR", "fr"},
		{"", "", "other"},
	}
	for _, tt := range tests {
		if got := c.language(tt.text, tt.prior); got != tt.want {
			t.Errorf("language(%q, %q) = %q, want %q", tt.text, tt.prior, got, tt.want)
		}
	}
}

func TestDecode(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	utf16be := func(s string) []byte {
		b := []byte{0xFE, 0xFF}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u>>8), byte(u))
		}
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
		err  error
	}{
		{"utf8", []byte("Ségou, Tombouctou"), "Ségou, Tombouctou", nil},
		{"utf8 bom", []byte("\xEF\xBB\xBFMopti"), "Mopti", nil},
		{"utf16le", utf16le("Kidal été"), "Kidal été", nil},
		{"utf16be", utf16be("Kidal été"), "Kidal été", nil},
		{"windows-1252", []byte("l\x92arm\xe9e \x96 S\xe9gou"), "l’armée – Ségou", nil},
		{"iso-8859-1", []byte("d\xe9j\xe0 \x81"), "déjà \u0081", nil},
		{"mojibake", []byte("l’armÃ©e a dÃ©clarÃ© â€œ"), "l’armée a déclaré “", nil},
		{"accents stay", []byte("Ã la une"), "Ã la une", nil},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "", ErrBinary},
		{"nul bytes", []byte("abc\x00\x01\x02\x03def\x00\x05"), "", ErrBinary},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("Decode = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	tests := []struct{ in, want string }{
		{"<!DOCTYPE html><html><body>x</body></html>", "html"},
		{"  <html lang=fr>", "html"},
		{"<div><p>one</p><p>two</p></div>", "html"},
		{"Bamako, 3 mai – Une attaque <b>a eu lieu</b>.", "text"},
		{"Plain text about Gao.", "text"},
		{"<style>" + strings.Repeat("p { margin: 0 }\n", 400) + "</style><html><body><p>Gao</p></body></html>", "html"},
		{"<script>var a = 1;</script><div>Gao</div>", "html"},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.in)); got != tt.want {
			t.Errorf("Detect(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBadInput(t *testing.T) {
	deep := strings.Repeat("<div>", 10000) + "<p>" + strings.Repeat("Soldiers patrolled the road between Gao and Ansongo for the whole day. ", 3) + "</p>" + strings.Repeat("</div>", 10000)
	tests := []struct {
		name  string
		raw   []byte
		fmt   string
		err   error
		empty bool
	}{
		{"broken html", []byte("<html><body><p>Unclosed <b>tags <div><p>The army reported that the convoy reached Gao safely after a long journey through the desert.</p></span></table>"), "", nil, false},
		{"no article", readFixture(t, "noarticle.html"), "", ErrEmpty, true},
		{"deep dom", []byte(deep), "html", nil, false},
		{"too large", bytes.Repeat([]byte("a"), 2048), "", ErrTooLarge, true},
		{"binary", append([]byte("<html>"), bytes.Repeat([]byte{0, 1, 2, 3, 0xFF}, 200)...), "", ErrBinary, true},
		{"empty", nil, "", ErrEmpty, true},
		{"menu text", []byte("Home\nNews\nContact\n"), "text", ErrEmpty, true},
	}
	c, err := New(Options{MaxBytes: 1024 * 1024})
	if err != nil {
		t.Fatal(err)
	}
	small, _ := New(Options{MaxBytes: 1024})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := c
			if tt.name == "too large" {
				cl = small
			}
			r := &event.Report{Doc: tt.name, Raw: tt.raw, Format: tt.fmt}
			err := cl.Clean(context.Background(), r)
			if !errors.Is(err, tt.err) {
				t.Fatalf("err = %v, want %v", err, tt.err)
			}
			if err != nil && !strings.Contains(err.Error(), tt.name) {
				t.Errorf("error %q does not name the document", err)
			}
			if (r.Text == "") != tt.empty {
				t.Errorf("text = %q, want empty %v", r.Text, tt.empty)
			}
		})
	}
}

func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := &event.Report{Doc: "x", Raw: readFixture(t, "article_en.html")}
	if err := newCleaner(t).Clean(ctx, r); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestDeterministic(t *testing.T) {
	c := newCleaner(t)
	for _, f := range []string{"junk_en.txt", "article_fr.html"} {
		var first string
		for i := range 3 {
			r := &event.Report{Doc: f, Raw: readFixture(t, f)}
			if err := c.Clean(context.Background(), r); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				first = r.Text
			} else if r.Text != first {
				t.Fatalf("%s: text differs between runs", f)
			}
		}
	}
}

func TestFeedRepetition(t *testing.T) {
	c := newCleaner(t)
	footer := "Sahel Wire weekly briefing every Friday"
	body := "Gunmen attacked a market in the town on Sunday and burned several shops, residents said."
	c.Feed([]string{body + "\n" + footer, "Other story about the rains in the region this year.\n" + footer, "A third story on prices.\n" + footer})
	r := &event.Report{Doc: "feed", Raw: []byte(body + "\n" + footer), Format: "text"}
	if err := c.Clean(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, footer) || !strings.Contains(r.Text, body) {
		t.Errorf("text = %q", r.Text)
	}
}

func TestLexiconOption(t *testing.T) {
	p := filepath.Join(t.TempDir(), "extra.txt")
	os.WriteFile(p, []byte("# site furniture\n= sahel wire radio\n"), 0o644)
	c, err := New(Options{Lexicon: p})
	if err != nil {
		t.Fatal(err)
	}
	r := &event.Report{Doc: "lex", Format: "text", Raw: []byte("Sahel Wire Radio\nThe army said on Monday that the road between Gao and Ansongo was open again.")}
	if err := c.Clean(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.Text, "Radio") {
		t.Errorf("extra lexicon ignored: %q", r.Text)
	}
	os.WriteFile(p, []byte("re: ([\n"), 0o644)
	if _, err := New(Options{Lexicon: p}); err == nil {
		t.Error("bad regexp accepted")
	}
}

func FuzzCleanText(f *testing.F) {
	f.Add(readFixture(f, "junk_en.txt"))
	f.Add(readFixture(f, "junk_fr.txt"))
	f.Add([]byte("Related News\n\n| a | b |\n- item\n"))
	c := newCleaner(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := &event.Report{Doc: "fuzz", Raw: raw, Format: "text"}
		if err := c.Clean(context.Background(), r); err == nil && !utf8.ValidString(r.Text) {
			t.Fatalf("invalid UTF-8 text")
		}
	})
}

func FuzzCleanHTML(f *testing.F) {
	f.Add(readFixture(f, "article_en.html"))
	f.Add(readFixture(f, "article_fr.html"))
	f.Add([]byte("<html><body><div><p>x</div></p><table><tr><td>a"))
	c := newCleaner(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		r := &event.Report{Doc: "fuzz", Raw: raw, Format: "html"}
		if err := c.Clean(context.Background(), r); err == nil && !utf8.ValidString(r.Text) {
			t.Fatalf("invalid UTF-8 text")
		}
	})
}

func FuzzDecode(f *testing.F) {
	f.Add([]byte("l\x92arm\xe9e"))
	f.Add([]byte("\xFF\xFEa\x00b\x00"))
	f.Add([]byte("Ã©tÃ©"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		s, err := Decode(raw)
		if err == nil && !utf8.ValidString(s) {
			t.Fatalf("Decode(%q) = invalid UTF-8 %q", raw, s)
		}
	})
}

func TestPruneSelectorsPerSite(t *testing.T) {
	page := `<html><body><article>
<p>The army said on Monday that the road between Gao and Ansongo had reopened after a week of repairs and patrols.</p>
<div class="promo-box"><p>Our partners offer the best satellite phones for travellers in the desert regions.</p></div>
<p>Traders in Gao said they expected prices to fall once the first lorries arrived from the south of the country.</p>
</article></body></html>`
	c, err := New(Options{PruneSelectors: map[string]string{"sahelwire.example": ".promo-box"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		url  string
		kept bool
	}{{"https://www.sahelwire.example/a", false}, {"https://other.example/a", true}} {
		r := &event.Report{Doc: "prune", URL: tt.url, Raw: []byte(page)}
		if err := c.Clean(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		if got := strings.Contains(r.Text, "satellite phones"); got != tt.kept {
			t.Errorf("%s: promo kept = %v, want %v\n%s", tt.url, got, tt.kept, r.Text)
		}
	}
}

// TestShortNote: a one-line or one-paragraph report is too short for the
// paragraph test but must pass through whole; menus and labels must not.
func TestShortNote(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"Armed men raided a cattle market near Sofara, killing two traders.", "Armed men raided a cattle market near Sofara, killing two traders.", nil},
		{"Army post shelled at dawn in Boulkessi, 2 soldiers wounded", "Army post shelled at dawn in Boulkessi, 2 soldiers wounded", nil},
		{"JNIM fighters burned a truck.", "JNIM fighters burned a truck.", nil},
		{"Des hommes armés ont enlevé le maire de Boni\nselon des sources locales", "Des hommes armés ont enlevé le maire de Boni\n\nselon des sources locales", nil},
		{"Soldiers killed three suspects near Tessit.\nShare this", "Soldiers killed three suspects near Tessit.", nil},
		{"Home\nNews\nContact", "", ErrEmpty},
		{"Mali", "", ErrEmpty},
		{"Home News Contact About Us", "", ErrEmpty},
		{"Subscribe to our newsletter", "", ErrEmpty},
		{strings.Repeat("Gunmen attacked a village\nMopti\n", 30), "", ErrEmpty}, // over maxNote: the classifier alone decides
	}
	c := newCleaner(t)
	for _, tt := range tests {
		r := &event.Report{Doc: "note", Raw: []byte(tt.in), Format: "text"}
		err := c.Clean(context.Background(), r)
		if !errors.Is(err, tt.err) {
			t.Errorf("Clean(%q) err = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if tt.err == nil && r.Text != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, r.Text, tt.want)
		}
	}
}

// TestPruneSparesArticle: a prune selector that matches the container of
// most of the page's paragraphs ("entry share") must not remove the
// article; comment threads go whatever their size.
func TestPruneSparesArticle(t *testing.T) {
	long := "The governor said on Tuesday that the ferry across the river at Gao would run again from next week after repairs. "
	page := `<html><body><h1>Ferry to run again</h1><div class="entry share"><p>` + long + `</p><p>` + long + `</p></div>
<div class="share"><p>Share on Facebook</p></div>
<div id="comments"><p>` + strings.Repeat("I took this ferry many times as a child and I am glad it is coming back to our town. ", 8) + `</p></div></body></html>`
	r := &event.Report{Doc: "prune", Raw: []byte(page)}
	if err := newCleaner(t).Clean(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Text, "ferry across the river") || strings.Contains(r.Text, "Share on") || strings.Contains(r.Text, "as a child") {
		t.Errorf("text = %q", r.Text)
	}
}

// TestNodeBlocks: the extractor's nodes carry no atom; lists, tables and
// loose text around a quote must still come out as separate lines.
func TestNodeBlocks(t *testing.T) {
	root := &html.Node{Type: html.ElementNode, Data: "body"}
	el := func(name string, kids ...*html.Node) *html.Node {
		n := &html.Node{Type: html.ElementNode, Data: name}
		for _, k := range kids {
			n.AppendChild(k)
		}
		return n
	}
	txt := func(s string) *html.Node { return &html.Node{Type: html.TextNode, Data: s} }
	root.AppendChild(el("ul", el("li", txt("one")), el("li", txt("two"))))
	root.AppendChild(el("table", el("tr", el("td", txt("a")), el("td", txt("b")))))
	root.AppendChild(el("blockquote", el("p", txt("Quoted post")), txt("— Author, 6 May"), el("br"), txt("Body of the post")))
	var got []string
	for _, b := range nodeBlocks(root) {
		got = append(got, b.text)
	}
	want := []string{"one", "two", "| a | b |", "Quoted post", "— Author, 6 May", "Body of the post"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks = %q, want %q", got, want)
	}
}
