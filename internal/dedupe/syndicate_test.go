package dedupe

import (
	"strings"
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

// The fixture stories are our own words.
const (
	wireStory = `Armed men riding motorcycles stormed the village of Koro-Baba on Sunday afternoon and opened fire on people gathered for the weekly market, local officials said on Monday.
At least fourteen people were killed and several others wounded, according to a municipal councillor who asked not to be named for safety reasons.
The attackers also burned granaries and took away livestock before withdrawing towards the forest along the border.
No group has claimed responsibility, but jihadist fighters have repeatedly targeted villages in the area over the past year, accusing residents of helping the army.
The government announced the deployment of additional troops to the district and promised to pursue the assailants.
Humanitarian agencies say thousands of people have fled the surrounding villages since the start of the rainy season.`

	otherStory = `Soldiers repelled an assault on their base near Gorom-Gorom before dawn on Tuesday, the army said in a statement read on state television.
The statement said dozens of assailants were neutralised and that troops recovered weapons, motorbikes and ammunition after the fighting.
Residents reached by telephone described hours of heavy gunfire and said aircraft circled over the town until midday.
The figures could not be independently verified, and access to the area remains restricted for journalists.
The region has seen a rise in attacks on military positions since the beginning of the year, forcing schools and clinics to close.`
)

func TestSyndication(t *testing.T) {
	m := New(Options{})
	sig := func(s string) []byte { return m.Signature(&event.Report{Text: s}) }
	orig := sig(wireStory)
	if orig == nil {
		t.Fatal("no signature for a full story")
	}
	lines := strings.Split(wireStory, "\n")
	tests := []struct {
		name string
		text string
		same bool
	}{
		{"same text", wireStory, true},
		{"another intro line", "Reprinted from the wire service; our correspondent adds details below.\n" + wireStory, true},
		{"intro line replaced, footer added", "KORO-BABA — " + strings.Join(lines[1:], "\n") + "\nRead more on our website and follow us for updates.", true},
		{"accents and case", strings.ToUpper(strings.ReplaceAll(wireStory, "e", "é")), true},
		{"last paragraph cut", strings.Join(lines[:len(lines)-1], "\n"), true},
		{"another story", otherStory, false},
		{"same facts, own words", "Gunmen on motorbikes attacked Koro-Baba market on Sunday and killed fourteen people, burning granaries and stealing cattle before fleeing to the forest. " +
			"A councillor gave the toll on Monday. Troops were sent to the district, the government said, while aid groups reported many families leaving nearby villages as the rains began. " +
			"Nobody claimed the attack, though jihadists often strike villages they accuse of siding with soldiers.", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			other := sig(tc.text)
			if got := m.SameStory(orig, other); got != tc.same {
				t.Errorf("SameStory = %v (similarity %.2f), want %v", got, Similarity(orig, other), tc.same)
			}
		})
	}
}

func TestSignatureEdgeCases(t *testing.T) {
	m := New(Options{})
	for _, s := range []string{"", "Short dispatch: three killed near Gao.", strings.Repeat("attack ", 500), "\xff\xfe\x00binary"} {
		if sig := m.Signature(&event.Report{Text: s}); sig != nil {
			t.Errorf("%.20q: signature for a text too short or repetitive to judge", s)
		}
	}
	if m.SameStory(nil, nil) || Similarity([]byte{1, 2}, []byte{1, 2}) != 0 {
		t.Error("missing or malformed signatures compared equal")
	}
}

func FuzzSignature(f *testing.F) {
	f.Add(wireStory)
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		sig := Signature(s)
		if sig != nil && Similarity(sig, sig) != 1 {
			t.Errorf("signature not equal to itself")
		}
	})
}

func BenchmarkSignature(b *testing.B) {
	text := strings.Repeat(wireStory+"\n", 5)
	for b.Loop() {
		Signature(text)
	}
}
