// Package geocode resolves the place expressions of a report — "Tamani",
// "near Djibo", "30 km north of Gao", "between Ségou and San", "the Mopti
// region", "in the north near the Algerian border" — to coordinates,
// ACLED's region and cercle names, and ACLED's geo precision (1 the place,
// 2 near it or a part of a region, 3 only the region or country).
//
// Scope reads a whole report once: the countries it names (including
// demonyms such as "Malian"), the regions and cercles, "(Bankass, Mopti)"
// parentheses after a name, and the unambiguous places it mentions. Each
// homonym is then chosen by feature rank, agreement with those units and
// distance to the report's other places.
//
// Choices, documented because ACLED leaves them open:
//   - a region-only mention is placed at the regional capital at precision
//     3; a cercle or province mention at its seat at precision 2 ("part of a
//     region"); a country mention at the national capital at precision 3,
//     with the capital's region, as ACLED codes national events;
//   - a region named like a common word ("the Sahel region", "Centre",
//     "Nord") is Burkina Faso's region only when the report otherwise
//     points at that country; "in the Sahel" alone is no place;
//   - a country part ("northern Mali", "central Mali") is precision 3 with
//     no region when it spans several; "western Niger" is Tillabéri and
//     "western Mali" Kayes, each covering nearly all of that part
//     (data/areas.tsv, fifth column);
//   - "N km <direction> of X" moves the point and recomputes the units,
//     precision 2; "near X", "outskirts of X", "X area" keep X's point at
//     precision 2;
//   - "between X and Y", "on the road from X to Y" and "the X-Y axis" take
//     the point of a known corridor (data/roads.geojson) nearest the
//     midpoint when both ends lie on it, else the midpoint, precision 2;
//   - an unknown name the text marks as a place ("the village of Xyz")
//     keeps the name in Place.Unresolved and takes, in order: the place it
//     is said to be near, the cercle or region in parentheses after it, or
//     the report's main region (Fallback), at precision 2 or 3. A near-miss
//     spelling of a known name is accepted instead when the report
//     supports it (one edit off in a country the report or its actors
//     point at, in a region it names, or near another place it names) and
//     it lies within 60 km (plus any stated distance) of a place the text
//     puts it near;
//   - a minor place more than 450 km from every better-supported place in
//     the report, with no country, region or cercle in the text behind
//     it, is a namesake (Égharghar in Agadez for a valley near Tessalit):
//     its name stays unresolved;
//   - Fallback is the region most of the report's places lie in, else the
//     region it names most; with neither, the country (named, or implied
//     by the actors, e.g. "Katiba Macina") at the capital's point with no
//     region, since a country mention or an actor does not say which
//     region an unplaced incident was in;
//   - "(coded as X at geoprecision N)", as in ACLED notes, places the
//     expression before it at X;
//   - a country named as a border ("near the Niger border", "la frontière
//     avec le Mali") is no place and does not count as the report naming
//     that country; its homonyms are slightly less likely (the event is
//     usually just across the border);
//   - "X, Cercle of Y" and "X, région de Y" locate X as "X, Y" does; a
//     common-word region in brackets ("Léré (Nord)") constrains nothing;
//   - "the Sahel region" in a report whose towns all lie in that country's
//     other regions is the wider Sahel, not Burkina Faso's region.
//
// Homonyms are scored twice; in the second pass each candidate gains from
// its distance to the places the other names chose in the first pass, but
// not from having been chosen itself by the same name.
//
// The cue words live in data/cues.txt and the vague areas in
// data/areas.tsv, so an analyst can add a French preposition or a named
// area without reading Go.
package geocode
