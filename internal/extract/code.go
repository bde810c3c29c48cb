package extract

import (
	"strings"

	"github.com/sahelwatch/sahelwatch/internal/actors"
	"github.com/sahelwatch/sahelwatch/internal/event"
)

// code fills a candidate's type and actors from its sentence.
func (x *Extractor) code(d *doc, s *sentence, trig hit, cl class, c *candidate) {
	country := c.ev.Place.Country
	if country == "" {
		country = d.country
	}
	// Roles follow the voice of the sentence's main verb, its first
	// trigger ("a soldier was killed by the explosion of an IED"), while
	// the type follows the strongest trigger.
	first := s.triggers[0]
	if cl.name == "defuse" {
		first = trig // whoever defused it is the actor
	}
	a1, a2 := x.roles(d, s, first, d.orig(s.words[first.from].start))
	resolve := func(m *actors.Mention) event.Actor {
		if m == nil {
			return event.Actor{}
		}
		return x.toEvent(m.Actor, country)
	}
	c.ev.Actor1, c.ev.Actor2 = resolve(a1), resolve(a2)

	et, st := cl.eventType, cl.subType
	if et == "BY_TARGET" {
		if targetIsArmed(x, d, s, trig, c) {
			et, st = "Battles", "Armed clash"
		} else {
			et, st = "Violence against civilians", "Attack"
		}
	}
	switch {
	case et == "Explosions/Remote violence" && x.hasGunfight(s):
		// shells or a mine followed by an assault and gunfire: a clash
		et, st = "Battles", "Armed clash"
	case et == "Violence against civilians" && st == "Attack" && len(c.victims) == 0 && x.hasClass(s, "loot"):
		// "attacked and burned the town hall", "raided and pillaged the
		// village": the damage is the event
		et, st = "Strategic developments", "Looting/property destruction"
	case st == "Abduction/forced disappearance" && x.armedDead(c):
		// soldiers taken prisoner: part of the battle, not a kidnapping
		et, st = "Battles", "Armed clash"
	case st == "Abduction/forced disappearance" && len(c.victims) > 0:
		// abducted and killed: ACLED codes the killing
		st = "Attack"
	case (et == "Battles" || et == "Strategic developments" && st == "Looting/property destruction") && crowd(x, s):
		// youths or demonstrators fighting the police, burning a post
		et, st = "Riots", "Violent demonstration"
		if c.ev.Actor1.Inter != 5 {
			c.ev.Actor2 = c.ev.Actor1
			if c.ev.Actor2.Inter == 6 || c.ev.Actor2.Inter == 5 {
				c.ev.Actor2 = event.Actor{}
			}
			c.ev.Actor1 = x.generic("rioters", country)
		}
	}
	c.ev.EventType, c.ev.SubEventType = et, st

	switch et {
	case "Protests":
		if c.ev.Actor1.Name == "" || c.ev.Actor1.Inter != 6 {
			c.ev.Actor2 = c.ev.Actor1
			c.ev.Actor1 = x.generic("protesters", country)
		}
	case "Riots":
		if c.ev.Actor1.Name == "" || c.ev.Actor1.Inter != 5 {
			c.ev.Actor1 = x.generic("rioters", country)
		}
	case "Explosions/Remote violence":
		if c.ev.Actor1.Name == "" && st == "Air/drone strike" {
			c.ev.Actor1 = x.generic("soldiers", country)
		}
	}
	if c.ev.Actor1.Name == "" {
		if cl := x.claimed(d, country); cl.Name != "" {
			c.ev.Actor1 = cl
		}
	}
	if c.ev.Actor1.Name == "" && (et != "Strategic developments" || st == "Looting/property destruction") && et != "Protests" {
		// looting and arson have a perpetrator too, unidentified when
		// the report names none
		c.ev.Actor1 = x.generic("gunmen", country)
	}
	civilianDead, _ := civilianFigures(x, c.victims)
	if c.ev.Actor2.Name == "" {
		switch {
		case et == "Violence against civilians", et == "Explosions/Remote violence" && civilianDead:
			// a drone strike or a mine that killed villagers: ACLED
			// names the civilians as actor2
			c.ev.Actor2 = x.generic("civilians", country)
		case et == "Battles" && c.ev.Actor1.Inter != 1:
			c.ev.Actor2 = x.targetForce(d, s, country)
		}
	}
	if c.ev.Actor2.Name == c.ev.Actor1.Name {
		c.ev.Actor2 = event.Actor{}
	}
}

// armedDead tells whether the sentence counts dead soldiers or fighters:
// then those "taken hostage" beside them were captured in a battle.
func (x *Extractor) armedDead(c *candidate) bool {
	for _, f := range append(c.victims, c.attackers...) {
		for _, h := range x.lx.targets.match([]word{{text: f.noun}, {text: f.noun + "s"}}) {
			if h.value == "armed" {
				return true
			}
		}
	}
	return false
}

// hasClass tells whether any trigger of the sentence is of class name.
func (x *Extractor) hasClass(s *sentence, name string) bool {
	for _, h := range s.triggers {
		if h.value == name {
			return true
		}
	}
	return false
}

// gunfightWords are triggers that mean an exchange of fire.
var gunfightWords = map[string]bool{"gunfire": true, "assault": true, "assaults": true, "firefight": true,
	"gunfight": true, "tirs": true, "assaut": true, "fired": true, "opened": true}

// hasGunfight tells whether the sentence describes fighting as well as an
// explosion.
func (x *Extractor) hasGunfight(s *sentence) bool {
	for _, h := range s.triggers {
		if h.value == "clash" || gunfightWords[s.words[h.from].text] {
			return true
		}
	}
	return false
}

// crowdWords name an unorganised crowd, whose violence ACLED codes as a
// riot rather than a battle.
var crowdWords = map[string]bool{"youth": true, "youths": true, "youngsters": true, "demonstrators": true,
	"protesters": true, "protestors": true, "rioters": true, "crowd": true, "mob": true, "jeunes": true,
	"manifestants": true, "emeutiers": true, "foule": true}

func crowd(x *Extractor, s *sentence) bool {
	for _, m := range s.actors {
		if m.Actor.Inter == 5 || m.Actor.Inter == 6 {
			return true
		}
	}
	for _, w := range s.words {
		if crowdWords[w.text] {
			return true
		}
	}
	return false
}

// toEvent turns a registry actor into an event actor: generic actors take
// the country, sub-groups name their parent as the main actor.
func (x *Extractor) toEvent(a actors.Actor, country string) event.Actor {
	if a.Generic {
		a = x.actors.ForCountry(a, country)
	}
	if p, ok := x.actors.Parent(a); ok {
		return event.Actor{Name: p.Name, Assoc: a.Name, Inter: p.Inter}
	}
	return event.Actor{Name: a.Name, Inter: a.Inter}
}

// generic returns the country form of a generic actor named by a plain
// English word the registry knows ("civilians", "soldiers", "gunmen").
func (x *Extractor) generic(word, country string) event.Actor {
	for _, m := range x.actors.Find(word) {
		return x.toEvent(m.Actor, country)
	}
	return event.Actor{}
}

// claimed returns the group that claimed responsibility in the report.
func (x *Extractor) claimed(d *doc, country string) event.Actor {
	for _, m := range d.claims {
		if !m.Actor.Generic && m.Actor.Inter != 1 && m.Actor.Inter != 7 {
			return x.toEvent(m.Actor, country)
		}
	}
	return event.Actor{}
}

// targetForce names the armed force a battle was fought against when the
// sentence names none: the police when it speaks of gendarmes or police,
// else the country's military.
func (x *Extractor) targetForce(d *doc, s *sentence, country string) event.Actor {
	for _, w := range s.words {
		if strings.HasPrefix(w.text, "gendarm") || w.text == "police" || w.text == "policiers" {
			return x.generic("gendarmes", country)
		}
	}
	return x.generic("soldiers", country)
}

// roles assigns the actor mentions of a sentence to actor1 (who acted) and
// actor2 (who was acted upon) from the sentence's structure: passive agents
// ("by X", "par X"), passive verbs ("was attacked"), and otherwise the
// subject before the trigger and the object after it. Mentions that only
// name a source ("according to the army", "X said") take no role.
func (x *Extractor) roles(d *doc, s *sentence, trig hit, trigPos int) (a1, a2 *actors.Mention) {
	var ms []*actors.Mention
	for i := range s.actors {
		m := &s.actors[i]
		if isSource(d, m) {
			continue
		}
		ms = append(ms, m)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	var agent *actors.Mention
	for _, m := range ms {
		if byAgent(d, m.Start) {
			agent = m
			break
		}
	}
	passive := passiveNear(d, trigPos)
	if !passive && reducedPassive(s, trig) {
		// "convoy ambushed near Gao" — but "JNIM attacked on the
		// outskirts" is active: an armed group before the verb acts
		passive = true
		for i := len(ms) - 1; i >= 0; i-- {
			if ms[i].Start < trigPos {
				passive = ms[i].Actor.Inter != 2 && ms[i].Actor.Inter != 3 && ms[i].Actor.Inter != 4
				break
			}
		}
	}
	var before, after []*actors.Mention
	for _, m := range ms {
		if m == agent {
			continue
		}
		if m.Start < trigPos {
			before = append(before, m)
		} else {
			after = append(after, m)
		}
	}
	closestBefore := func() *actors.Mention {
		if len(before) == 0 {
			return nil
		}
		return before[len(before)-1]
	}
	firstAfter := func() *actors.Mention {
		if len(after) == 0 {
			return nil
		}
		return after[0]
	}
	if a, b, ok := betweenPair(d, ms); ok && agent == nil {
		// "clashes between FAMa and JNIM", "des affrontements entre
		// l'armée et des jihadistes": both sides fought; ACLED names the
		// non-state side first when the other is a state force
		if a.Actor.Inter == 1 && b.Actor.Inter != 1 {
			a, b = b, a
		}
		return a, b
	}
	switch {
	case agent != nil:
		a1 = agent
		if a2 = closestBefore(); a2 == nil {
			a2 = firstAfter()
		}
	case passive:
		a2 = closestBefore()
		a1 = firstAfter()
		// "a Barkhane vehicle was struck by an IED …, two soldiers were
		// wounded": with no "by" agent, soldiers named after the verb
		// are victims too
		if a1 != nil && a1.Actor.Generic && a1.Actor.Inter == 1 {
			a1 = nil
		}
	default:
		a1 = closestBefore()
		a2 = firstAfter()
		// "Civilians were ..." with no verb of its own read as passive
		if a1 != nil && a1.Actor.Inter == 7 && a2 != nil {
			a1, a2 = a2, a1
		}
		if a1 == nil && a2 != nil && a2.Actor.Inter == 7 {
			a1 = nil
		}
	}
	// a victim is never the actor of an attack
	if a1 != nil && a1.Actor.Inter == 7 && a2 == nil {
		a1, a2 = nil, a1
	}
	// "FAMa repelled an attack by militants": the forces defended; the
	// attackers are actor1, unidentified when the sentence names none
	if !passive && agent == nil && defensive[s.words[trig.from].text] && a1 != nil && a1.Actor.Inter == 1 {
		a1, a2 = a2, a1
		if a1 != nil && a1.Actor.Inter == 1 {
			a1 = nil
		}
	}
	// "an army vehicle was struck by an IED …, two soldiers were killed":
	// the soldiers after the verb are more victims, not the attackers
	if a1 != nil && a2 != nil && sameForce(a1.Actor, a2.Actor) {
		a1 = nil
	}
	return a1, a2
}

// wordsBefore returns the lowercased words in the 40 bytes before pos.
// defensive are the folded verbs whose subject defended rather than
// attacked.
var defensive = map[string]bool{"repelled": true, "repulsed": true, "repelling": true, "fended": true,
	"repousse": true, "repousses": true, "repoussent": true, "repoussaient": true, "repoussait": true}

// sameForce reports whether two mentions name one actor: the same entry,
// or a country's forces and the generic "army"/"soldiers" that stand for
// them.
func sameForce(a, b actors.Actor) bool {
	if a.Name == b.Name {
		return true
	}
	return a.Inter == b.Inter && a.Inter == 1 && (a.Generic || b.Generic)
}

// betweenPair finds two actors named as "between A and B" ("entre A et
// B"): the two sides of a clash.
func betweenPair(d *doc, ms []*actors.Mention) (a, b *actors.Mention, ok bool) {
	for i := 0; i+1 < len(ms); i++ {
		ws := wordsBefore(d, ms[i].Start)
		if len(ws) == 0 {
			continue
		}
		w := strings.Trim(ws[len(ws)-1], ",")
		if len(ws) >= 2 && (w == "the" || w == "l'" || w == "la" || w == "le" || w == "les" || w == "des") {
			w = strings.Trim(ws[len(ws)-2], ",")
		}
		if w != "between" && w != "entre" {
			continue
		}
		for j := i + 1; j < len(ms) && j <= i+3; j++ {
			if ms[j].Actor.Name == ms[i].Actor.Name {
				continue
			}
			gap := strings.Fields(strings.ToLower(d.text[ms[i].End:ms[j].Start]))
			joined := false
			for _, g := range gap {
				joined = joined || g == "and" || g == "et" || g == "&"
			}
			if joined && len(gap) <= 4 {
				return ms[i], ms[j], true
			}
		}
	}
	return nil, nil, false
}

func wordsBefore(d *doc, pos int) []string {
	lo := max(0, pos-40)
	for lo > 0 && lo < len(d.text) && d.text[lo]&0xC0 == 0x80 {
		lo--
	}
	f := strings.Fields(strings.ToLower(d.text[lo:pos]))
	if lo > 0 && len(f) > 0 {
		f = f[1:] // the first word may be cut
	}
	return f
}

func wordsAfter(d *doc, pos int) []string {
	hi := min(len(d.text), pos+40)
	for hi < len(d.text) && d.text[hi]&0xC0 == 0x80 {
		hi++
	}
	f := strings.Fields(strings.ToLower(d.text[pos:hi]))
	if hi < len(d.text) && len(f) > 0 {
		f = f[:len(f)-1]
	}
	return f
}

var agentSkip = map[string]bool{"suspected": true, "presumed": true, "alleged": true, "présumés": true, "présumé": true,
	"presumes": true, "presume": true, "the": true, "des": true, "les": true, "de": true, "du": true, "d'": true, "la": true, "le": true,
	"some": true, "armed": true, "heavily": true, "fighters": true, "members": true, "elements": true, "éléments": true,
	"combattants": true, "of": true, "probable": true, "likely": true, "apparently": true, "a": true, "an": true, "un": true, "une": true,
	"présumées": true, "supposed": true, "supposés": true, "hommes": true}

// byAgent tells whether a mention is the agent of a passive ("by X", "par X").
func byAgent(d *doc, pos int) bool {
	ws := wordsBefore(d, pos)
	for i := len(ws) - 1; i >= 0 && i >= len(ws)-4; i-- {
		w := strings.Trim(ws[i], ",.;:()\"")
		switch w {
		case "by", "par", "claimed":
			return true
		}
		if !agentSkip[w] {
			return false
		}
	}
	return false
}

var passiveWords = map[string]bool{"subjected": true, "faced": true, "was": true, "were": true, "been": true, "été": true, "ete": true,
	"under": true, "came": true, "come": true, "sont": true, "est": true, "victim": true, "victime": true,
	"victimes": true, "suffered": true, "subi": true}

// farPassive are the passive words that may stand further from the
// trigger, before a preposition and an article.
var farPassive = map[string]bool{"subjected": true, "victim": true, "victime": true, "victimes": true, "target": true, "cible": true}

// passiveNear tells whether the trigger at pos is a passive verb.
func passiveNear(d *doc, pos int) bool {
	ws := wordsBefore(d, pos)
	// "subjected to a complex ambush", "victime d'une embuscade": the
	// passive word may stand before a preposition, an article and an
	// adjective
	for i := len(ws) - 1; i >= 0 && i >= len(ws)-4; i-- {
		w := strings.Trim(ws[i], ",.;:")
		if passiveWords[w] && (i >= len(ws)-2 || farPassive[w]) {
			return true
		}
	}
	// the trigger is the instrument of a passive: "struck by an IED",
	// "touché par une mine"
	for i := len(ws) - 1; i >= 0 && i >= len(ws)-4; i-- {
		w := strings.Trim(ws[i], ",.;:")
		if w == "by" || w == "par" {
			return true
		}
		if !articles[w] {
			break
		}
	}
	return false
}

var articles = map[string]bool{"a": true, "an": true, "the": true, "un": true, "une": true, "des": true, "d'un": true,
	"d'une": true, "de": true, "l'": true, "le": true, "la": true, "les": true, "suspected": true, "presumed": true,
	"improvised": true, "anti-tank": true, "artisanal": true, "artisanale": true}

// afterReduced are words that follow a past participle used without its
// auxiliary, as in headlines and terse notes: "army post attacked in Boni",
// "convoy ambushed near Gao".
var afterReduced = map[string]bool{"in": true, "at": true, "near": true, "on": true, "overnight": true,
	"between": true, "this": true, "yesterday": true, "last": true, "early": true, "late": true, "outside": true,
	"around": true, "during": true, "while": true, "when": true, "again": true, "twice": true}

// reducedPassive tells whether the trigger is a past participle with no
// object of its own, so the actor before it was acted upon.
func reducedPassive(s *sentence, trig hit) bool {
	w := s.words[trig.to-1].text
	if frenchParticiple(s, trig) {
		return true
	}
	if !strings.HasSuffix(w, "ed") {
		return false
	}
	if trig.to == len(s.words) {
		return true
	}
	if trig.from > 0 {
		switch s.words[trig.from-1].text {
		case "have", "has", "had", "they", "who", "which", "that", "it", "he", "she":
			return false // a perfect or a relative clause: active
		}
	}
	return afterReduced[s.words[trig.to].text]
}

// afterReducedFR are words that follow a French past participle used
// without its auxiliary ("poste attaqué à Niono", "convoi attaqué près de").
var afterReducedFR = map[string]bool{"a": true, "au": true, "aux": true, "dans": true, "pres": true, "par": true,
	"lors": true, "entre": true, "sur": true, "hier": true, "ce": true, "en": true, "vers": true}

// notParticiple are words before "attaque" that make it the noun.
var notParticiple = map[string]bool{"l'": true, "une": true, "la": true, "cette": true, "d'": true, "son": true,
	"sa": true, "leur": true, "de": true, "nouvelle": true, "premiere": true, "derniere": true,
	"a": true, "ont": true, "avait": true, "avaient": true, "ete": true, "est": true, "sont": true}

func frenchParticiple(s *sentence, trig hit) bool {
	w := s.words[trig.to-1].text
	if !(strings.HasSuffix(w, "e") || strings.HasSuffix(w, "es")) {
		return false
	}
	if trig.from == 0 || notParticiple[s.words[trig.from-1].text] {
		return false
	}
	return trig.to == len(s.words) || afterReducedFR[s.words[trig.to].text]
}

// isSource tells whether a mention only names where information came from.
func isSource(d *doc, m *actors.Mention) bool {
	b := wordsBefore(d, m.Start)
	if n := len(b); n > 0 {
		last := strings.Join(b[max(0, n-2):], " ")
		if strings.HasSuffix(last, "according to") || strings.HasSuffix(last, "selon") ||
			strings.HasSuffix(last, "d'après") || strings.HasSuffix(last, "sources") {
			return true
		}
		if b[n-1] == "selon" || strings.HasPrefix(b[n-1], "selon") {
			return true
		}
	}
	a := wordsAfter(d, m.End)
	if len(a) > 0 {
		switch strings.Trim(a[0], ",.;:") {
		case "said", "says", "announced", "reported", "stated", "told", "confirmed", "indicated", "spokesman", "spokesperson", "statement":
			return true
		}
		if len(a) > 1 && (a[0] == "a" || a[0] == "ont") {
			switch strings.Trim(a[1], ",.;:") {
			case "indiqué", "annoncé", "affirmé", "déclaré", "confirmé", "précisé", "rapporté":
				return true
			}
		}
	}
	return false
}

// targetIsArmed tells whether an attack was aimed at an armed force.
func targetIsArmed(x *Extractor, d *doc, s *sentence, trig hit, c *candidate) bool {
	if a2 := c.ev.Actor2; a2.Name != "" {
		return a2.Inter != 7
	}
	// the nouns after the trigger, then the whole sentence
	hits := x.lx.targets.match(s.words)
	for _, h := range hits {
		if h.from >= trig.to {
			return h.value == "armed"
		}
	}
	if c.class.name == "kill" || x.hasClass(s, "loot") {
		// a killing with no force named after it is one-sided violence;
		// burning and looting with none is damage to property
		return false
	}
	if civilians, _ := civilianFigures(x, c.victims); civilians {
		return false
	}
	for _, h := range hits {
		return h.value == "armed"
	}
	if len(c.victims) > 0 {
		return false
	}
	trigAt := d.orig(s.words[trig.from].start)
	if passiveNear(d, trigAt) {
		for _, p := range s.places {
			if p.End <= trigAt && p.Place.Precision == event.PlacePrecision {
				// "Sollé, Boko et Yondé ont été visées": the villages
				// themselves were hit, and no force is named in them
				return false
			}
		}
	}
	// nothing says who was hit: a named armed group attacks forces more
	// often than it is reported attacking unnamed civilians; a later
	// sentence of the report may still say otherwise (see consolidate)
	c.guessed = true
	return c.ev.Actor1.Inter == 2 || c.ev.Actor1.Inter == 1 && c.ev.Actor1.Assoc == ""
}

// civilianFigures reports whether some victim figure names civilians
// ("villagers", "civils"), and whether the figures name civilians only: a
// toll that also names soldiers ("4 civilians and 1 soldier dead") is a
// fight's. Figures with no person noun ("12 dead") count for neither.
func civilianFigures(x *Extractor, victims []figure) (any, only bool) {
	armed := false
	for _, f := range victims {
		switch {
		case civilianNoun(x, f.noun):
			any = true
		case f.noun != "" && x.personNoun(f.noun):
			armed = true
		}
	}
	return any, any && !armed
}

func civilianNoun(x *Extractor, noun string) bool {
	if noun == "" {
		return false
	}
	// figures keep nouns without a plural s ("villageoi" for villageois)
	for _, n := range []string{noun, noun + "s"} {
		for _, h := range x.lx.targets.match([]word{{text: n}}) {
			return h.value == "civilian"
		}
	}
	return false
}
