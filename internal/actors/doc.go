// Package actors is sahelwatch's actor registry: the armed groups, state
// forces, militias and civilian categories of the central Sahel, under the
// names ACLED gives them, with their aliases in English and French, ACLED
// interaction codes, parent groups and countries.
//
// The registry is data, not code. data/actors.tsv lists named actors and
// data/generic.tsv the words that name a kind of actor but no group
// ("gunmen", "civils", "soldats", "terroristes"); both are embedded, and an
// analyst adds an alias or an actor by editing them, or by passing a file of
// the same format to LoadWithExtra. The column meanings are in each file's
// header comment.
//
// Find locates actor names in a text on word boundaries, ignoring case and
// accents (short capitalised abbreviations such as FAMa or FDS excepted),
// preferring the longest name where names overlap: "armée malienne" is the
// Malian army, "armée" alone the generic military, which ForCountry turns
// into Military Forces of Mali (2021-) once the caller knows the country.
package actors
