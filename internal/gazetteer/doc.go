// Package gazetteer turns place names into candidate places for the Sahel:
// every populated place, administrative unit, military base, airport, mine,
// locality and well that GeoNames lists for Mali, Burkina Faso and Niger,
// and its named wadis, water holes, hills, dunes and marshes (ACLED codes
// many northern incidents at such features),
// plus the neighbours' capitals and border towns and the places GeoNames
// lacks (data/additions.tsv, or a user file given to LoadWithAdditions).
//
// Names match whatever their case, accents, punctuation, hyphens and
// apostrophes ("Ti-n-Zaouâtene", "Tinzaouaten" and "Tin Zaouatene" are one
// key), with administrative affixes ("cercle de", "village of", "Region")
// ignored. Lookup returns homonyms best rank first; rank comes from the
// feature code (capital > regional seat > cercle seat > village > airport
// > locality > well > natural feature), never from population, which
// GeoNames leaves at zero for most Malian villages; an airport ranks below
// the town it serves unless its full name ("Barsalogho Airport") is
// written. Choosing among homonyms from context is the geocode package's
// job.
//
// LookupFuzzy finds near-miss spellings: candidates share the consonant
// frame, or the same oral form but for nasals ("Tindibawen" and
// "Tidimbawen"), and are kept within one edit per five letters, counted on
// the written form or the oral one (ou/w, dj/j, y/i, c/k/q, ch/sh/tch,
// doubled letters: "Ouolon" is "Wolon").
//
// FindAll scans free text. News prose is full of capitalised words that
// are also village names, so a name must be capitalised, not on the stop
// list (data/stopwords.txt), not a first name or a word after one
// (data/persons.txt), not right after another capitalised word that is
// no place in mid-sentence ("Lionel Bilgo", "Gabriel Toure hospital";
// title-case headlines are exempt), not inside an armed group's name
// (data/groups.txt, "Katiba Macina"), and not a fragment of a longer
// unknown name ("Tin" of "Tin-Toukar", both halves of "Tin Aouker").
//
// Admin answers which country, region (ACLED's spelling) and cercle or
// province a point lies in, by point in polygon against geoBoundaries
// (nearest polygon within 25 km for points just outside generalised
// borders); Niger, which has no polygon layer, takes the region of the
// nearest GeoNames place. ACLED's Ménaka region is the old Ménaka cercle;
// Taoudénit counts as Tombouctou.
//
// Loading takes about 0.3 s and 25 MB of heap on one core
// (BenchmarkLoad); ASCII names skip Unicode normalisation.
//
// The derived files data/places.tsv.gz and data/admin.geojson (and the
// geocoder's roads) are rebuilt by `go generate` from ../shared/data; see
// data/SOURCES.md for credits.
package gazetteer
