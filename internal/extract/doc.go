// Package extract reads the events a cleaned report describes and codes
// them the way ACLED codes them: event type and sub-event type, actors in
// their roles, the date with its precision, the place, fatalities by
// ACLED's conservative rules, and the kind of mention (incident, aggregate,
// situation, background), each with the sentences that support it.
//
// It is rule-based on purpose: every decision can be traced to a trigger
// word, a cue or a pattern in the data files under data/, which an analyst
// extends without reading Go. The pipeline per report is
//
//	sentences → triggers → kind cues → date, places, actors, deaths
//	         → one candidate per (place, day, type) → consolidation
//
// Consolidation merges the sentences of one report that describe the same
// incident (a headline and the paragraphs that retell it) so a report
// yields one event per incident, not one per sentence.
package extract
