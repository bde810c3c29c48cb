// Package gazetteer turns place names into candidate places for the Sahel:
// every populated place, administrative unit, military base, airport, mine,
// locality and well that GeoNames lists for Mali, Burkina Faso and Niger,
// plus the neighbours' capitals and border towns and the places GeoNames
// lacks (data/additions.tsv, or a user file given to LoadWithAdditions).
//
// Names match whatever their case, accents, punctuation, hyphens and
// apostrophes ("Ti-n-Zaouâtene", "Tinzaouaten" and "Tin Zaouatene" are one
// key), with administrative affixes ("cercle de", "village of", "Region")
// ignored. Lookup returns homonyms best rank first; rank comes from the
// feature code (capital > regional seat > cercle seat > village > locality
// > well), never from population, which GeoNames leaves at zero for most
// Malian villages. Choosing among homonyms from context is the geocode
// package's job.
//
// FindAll scans free text. News prose is full of capitalised words that
// are also village names, so a name must be capitalised, not on the stop
// list (data/stopwords.txt), not a first name or a word after one
// (data/persons.txt), not inside an armed group's name (data/groups.txt,
// "Katiba Macina"), and not a fragment of a longer unknown name
// ("Tin" of "Tin-Toukar").
//
// Admin answers which country, region (ACLED's spelling) and cercle or
// province a point lies in, by point in polygon against geoBoundaries
// (nearest polygon within 25 km for points just outside generalised
// borders); Niger, which has no polygon layer, takes the region of the
// nearest GeoNames place. ACLED's Ménaka region is the old Ménaka cercle;
// Taoudénit counts as Tombouctou.
//
// The derived files data/places.tsv.gz and data/admin.geojson (and the
// geocoder's roads) are rebuilt by `go generate` from ../shared/data; see
// data/SOURCES.md for credits.
package gazetteer
