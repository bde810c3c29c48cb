package extract

import (
	"testing"

	"github.com/sahelwatch/sahelwatch/internal/event"
)

func TestCoherentType(t *testing.T) {
	fama := event.Actor{Name: "Military Forces of Mali (2021-)", Inter: 1}
	gunmen := event.Actor{Name: "Unidentified Armed Group (Mali)", Inter: 3}
	civ := event.Actor{Name: "Civilians (Mali)", Inter: 7}
	tests := []struct {
		name     string
		in       event.Event
		wantType string
	}{
		{"attack whose target is the army", event.Event{EventType: "Violence against civilians", SubEventType: "Attack", Actor1: gunmen, Actor2: fama}, "Battles"},
		{"attack on civilians", event.Event{EventType: "Violence against civilians", SubEventType: "Attack", Actor1: gunmen, Actor2: civ}, "Violence against civilians"},
		{"the army attacking civilians", event.Event{EventType: "Violence against civilians", SubEventType: "Attack", Actor1: fama, Actor2: civ}, "Violence against civilians"},
		{"looting of an army post stays looting", event.Event{EventType: "Strategic developments", SubEventType: "Looting/property destruction", Actor1: gunmen, Actor2: fama}, "Strategic developments"},
	}
	for _, tc := range tests {
		e := tc.in
		coherentType(&e)
		if e.EventType != tc.wantType {
			t.Errorf("%s: %s, want %s", tc.name, e.EventType, tc.wantType)
		}
	}
}
