package server

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sahelwatch/sahelwatch/internal/store"
)

const (
	maxReportBody  = 5 << 20 // bytes accepted by POST /api/v1/reports
	defaultReports = 100
	maxReports     = 1000
)

func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	limit := defaultReports
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxReports {
			badParam(w, &paramError{"limit", "want an integer from 1 to " + strconv.Itoa(maxReports)})
			return
		}
		limit = n
	}
	reps, err := s.st.Reports(r.Context(), limit)
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	if reps == nil {
		reps = []store.ReportInfo{}
	}
	for i := range reps {
		if reps[i].EventIDs == nil {
			reps[i].EventIDs = []string{}
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": reps})
}

// reportText is the body of GET /api/v1/reports/{doc}: what the dashboard
// needs to show evidence inside its report.
type reportText struct {
	Doc       string `json:"doc"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	Outlet    string `json:"outlet,omitempty"`
	Published string `json:"published,omitempty"`
	Lang      string `json:"lang,omitempty"`
	Text      string `json:"text"`
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) {
	doc := r.PathValue("doc")
	rep, err := s.st.Report(r.Context(), doc)
	if errors.Is(err, store.ErrNotFound) {
		jsonError(w, http.StatusNotFound, "no report "+strconv.Quote(doc))
		return
	}
	if err != nil {
		s.internalError(w, r, err)
		return
	}
	out := reportText{Doc: rep.Doc, Title: rep.Title, URL: rep.URL, Outlet: rep.Outlet, Lang: rep.Lang, Text: rep.Text}
	if !rep.Published.IsZero() {
		out.Published = rep.Published.Format("2006-01-02")
	}
	writeJSON(w, http.StatusOK, out)
}

// submission is the body of POST /api/v1/reports.
type submission struct {
	Text string `json:"text"`
	URL  string `json:"url"`
	Doc  string `json:"doc"`
}

// authorized checks the bearer token in constant time. No configured token
// means writes are off, never open.
func (s *Server) authorized(r *http.Request) bool {
	if s.opts.Token == "" {
		return false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && subtle.ConstantTimeCompare([]byte(strings.TrimSpace(tok)), []byte(s.opts.Token)) == 1
}

func (s *Server) postReport(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sahelwatch"`)
		jsonError(w, http.StatusUnauthorized, "a valid bearer token is required")
		return
	}
	if s.opts.Submit == nil {
		jsonError(w, http.StatusNotImplemented, "this server does not accept reports")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxReportBody)
	var in submission
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			jsonError(w, http.StatusRequestEntityTooLarge, "body larger than "+strconv.Itoa(maxReportBody)+" bytes")
			return
		}
		jsonError(w, http.StatusBadRequest, "body: want JSON {\"text\", \"url\", \"doc\"}: "+err.Error())
		return
	}
	if strings.TrimSpace(in.Text) == "" && strings.TrimSpace(in.URL) == "" {
		jsonError(w, http.StatusBadRequest, "body: text or url is required")
		return
	}
	if !utf8.ValidString(in.Text) || !utf8.ValidString(in.Doc) {
		jsonError(w, http.StatusBadRequest, "body: text and doc must be valid UTF-8")
		return
	}
	if in.URL != "" && !strings.HasPrefix(in.URL, "http://") && !strings.HasPrefix(in.URL, "https://") {
		jsonError(w, http.StatusBadRequest, "body: url must be http or https")
		return
	}
	ctx := context.WithValue(r.Context(), docKey{}, in.Doc)
	res, err := s.opts.Submit(ctx, in.Text, in.URL)
	if err != nil {
		s.mtr.IncIngestErrors()
		s.log.Warn("submit report", "doc", in.Doc, "url", in.URL, "err", err)
		// The caller holds the token, so the reason is theirs to see.
		jsonError(w, http.StatusUnprocessableEntity, "ingest failed: "+err.Error())
		return
	}
	s.mtr.IncIngested()
	status := http.StatusCreated
	if res.Duplicate {
		status = http.StatusOK
	}
	writeJSON(w, status, map[string]any{
		"report_id": res.ReportID,
		"duplicate": res.Duplicate,
		"updated":   res.Updated,
		"added":     res.Added,
		"merged":    res.Merged,
	})
}
