package fold

import "testing"

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ti-n-Zaouâtene", "tinzaouatene"},
		{"Tin Zaouatene", "tinzaouatene"},
		{"N’Tillit", "ntillit"},
		{"Dioïla", "dioila"},
		{"Œuvre", "oeuvre"},
		{"  Ségou  ", "segou"},
		{"\xff\xfeGao", "gao"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Words("Ti-n-Zaouâtene"); got != "ti n zaouatene" {
		t.Errorf("Words = %q", got)
	}
}

func TestSkeletonAndDistance(t *testing.T) {
	if a, b := Skeleton(Key("Baraouéli")), Skeleton(Key("Barouéli")); a != b {
		t.Errorf("skeletons differ: %q %q", a, b)
	}
	for _, tt := range []struct {
		a, b string
		d    int
	}{{"kitten", "sitting", 3}, {"", "abc", 3}, {"gao", "gao", 0}} {
		if d := Distance(tt.a, tt.b); d != tt.d {
			t.Errorf("Distance(%q,%q) = %d, want %d", tt.a, tt.b, d, tt.d)
		}
	}
}

func FuzzKey(f *testing.F) {
	f.Add("Ti-n-Zaouâtene")
	f.Fuzz(func(t *testing.T, s string) {
		k := Key(s)
		if Key(k) != k {
			t.Fatalf("Key not idempotent on %q: %q", s, k)
		}
		Skeleton(k)
		Nasal(Skeleton(Oral(k)))
		if ascii(s) {
			if slow := slowWords(s); Words(s) != slow {
				t.Fatalf("ASCII fast path %q differs from %q on %q", Words(s), slow, s)
			}
		}
	})
}

// slowWords is Words without the ASCII fast path.
func slowWords(s string) string { return nfdWords(s) }

func TestOralAndNasal(t *testing.T) {
	for _, tt := range []struct{ a, b string }{
		{"Ouolon", "Wolon"}, {"Djibo", "Jibo"}, {"Tancoulle", "Tankoulé"}, {"Kayes", "Kaies"},
	} {
		if a, b := Oral(Key(tt.a)), Oral(Key(tt.b)); a != b {
			t.Errorf("Oral(%q) = %q, Oral(%q) = %q, want equal", tt.a, a, tt.b, b)
		}
	}
	if a, b := Nasal(Oral(Key("Tindibawen"))), Nasal(Oral(Key("Tidimbawen"))); a != b {
		t.Errorf("nasal forms differ: %q %q", a, b)
	}
	for _, s := range []string{"Ti-n-Zaouatene", "  Gao--Ansongo ", "N'Tillit", "A1 b2"} {
		if Words(s) != slowWords(s) {
			t.Errorf("Words(%q) = %q, slow path %q", s, Words(s), slowWords(s))
		}
	}
}
