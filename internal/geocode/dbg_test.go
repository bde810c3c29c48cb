package geocode

import "testing"

func TestDbg(t *testing.T) {
	gc := geocoder(t)
	for _, s := range []string{
		"On August 25, people took to the streets of Sikasso to protest against electoral fraud.",
		"On October 5, Dozos abducted three Fulani men in the village of Goumba.",
		"On July 29, presumed Katiba Macina militants attacked and ransacked a voting office in Mariko, near Niono.",
	} {
		sc := gc.Scope(s).(*scope)
		for _, m := range sc.ms {
			t.Logf("%q ok=%v chosen=%s/%s/%s rank=%d score=%.0f ncand=%d", m.text, m.ok, m.chosen.Name, m.chosen.Feature, m.chosen.Admin1, m.chosen.Rank, m.score, len(m.cands))
		}
		for _, r := range sc.refs {
			t.Logf("  ref %+v", r.Place)
		}
	}
	for _, e := range gc.gaz.Lookup("Sikasso") {
		t.Logf("%+v", e)
	}
}
