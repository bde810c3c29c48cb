package server

import "net/http"

// route is one entry of the API; the table is the single place routes are
// declared, and tests walk it to check the OpenAPI document covers them.
type route struct {
	pattern string // method and path, as net/http.ServeMux reads them
	handler func(*Server, http.ResponseWriter, *http.Request)
}

var routes = []route{
	{"GET /healthz", (*Server).healthz},
	{"GET /metrics", (*Server).serveMetrics},

	{"GET /api/v1/config", (*Server).config},
	{"GET /api/v1/openapi.json", (*Server).openAPI},

	{"GET /api/v1/events", (*Server).listEvents},
	{"GET /api/v1/events.csv", (*Server).exportCSV},
	{"GET /api/v1/events.geojson", (*Server).exportGeoJSON},
	{"GET /api/v1/events.jsonl", (*Server).exportJSONL},
	{"GET /api/v1/events/{id}", (*Server).getEvent},
	{"GET /api/v1/stats", (*Server).stats},

	{"GET /api/v1/reports", (*Server).listReports},
	{"POST /api/v1/reports", (*Server).postReport},
	{"GET /api/v1/reports/{doc...}", (*Server).getReport},

	// Unknown API paths answer JSON, not the dashboard's 404 page.
	{"GET /api/", (*Server).apiNotFound},
	{"GET /", (*Server).static},
}

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range routes {
		h := rt.handler
		mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) { h(s, w, r) })
	}
	for pattern, h := range s.opts.Extra {
		mux.Handle(pattern, h)
	}
	return mux
}
