package server

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

//go:generate sh web/build.sh

// The dashboard's files; web/build.sh regenerates the vendored and derived
// ones from npm packages and ../shared/data.
//
//go:embed web/static
var webFS embed.FS

//go:embed openapi.json
var openAPIDoc []byte

var staticFS = func() fs.FS {
	sub, err := fs.Sub(webFS, "web/static")
	if err != nil {
		panic(err) // the embed pattern guarantees the folder exists
	}
	return sub
}()

var fileServer = http.FileServerFS(staticFS)

func (s *Server) static(w http.ResponseWriter, r *http.Request) {
	// No directory listings: only "/" maps to a folder (its index.html).
	if r.URL.Path != "/" && strings.HasSuffix(r.URL.Path, "/") {
		http.NotFound(w, r)
		return
	}
	fileServer.ServeHTTP(w, r)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok"))
}

func (s *Server) openAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(openAPIDoc)
}

// config tells the dashboard about optional features.
func (s *Server) config(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"tile_url":         s.opts.TileURL,
		"tile_attribution": s.opts.TileAttribution,
		"writable":         s.opts.Token != "" && s.opts.Submit != nil,
	})
}

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	jsonError(w, http.StatusNotFound, "no such endpoint")
}
