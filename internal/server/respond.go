package server

import (
	"encoding/json"
	"net/http"
)

// writeJSON writes v with status. The encoder escapes <, > and & so that
// report text can never be read as markup by a browser sniffing the body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v) // the client went away; nothing useful to do
}

// apiError is the body of every error response.
type apiError struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"` // the query parameter at fault, for 400s
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, apiError{Error: msg})
}

// paramError is a bad query parameter; handlers answer it with 400.
type paramError struct {
	Param string
	Msg   string
}

func (e *paramError) Error() string { return e.Param + ": " + e.Msg }

func badParam(w http.ResponseWriter, e *paramError) {
	writeJSON(w, http.StatusBadRequest, apiError{Error: e.Error(), Param: e.Param})
}

// internalError logs err and answers 500 without leaking its text.
func (s *Server) internalError(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	jsonError(w, http.StatusInternalServerError, "internal error")
}
