package source

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

const (
	robotsMaxBytes = 512 << 10 // RFC 9309 asks parsers to read at least 500 KiB
	robotsTTL      = 24 * time.Hour
	robotsErrTTL   = time.Hour
)

// robotsEntry is one host's robots.txt answer; ready closes once rules is
// set, so concurrent first requests to a host fetch it only once.
type robotsEntry struct {
	ready   chan struct{}
	rules   *robotsRules
	expires time.Time
}

// robotsRules are the Allow and Disallow lines of the group that applies
// to us. disallowAll stands for a robots.txt that could not be read
// because the server failed (RFC 9309: assume complete disallow).
type robotsRules struct {
	disallowAll bool
	rules       []robotsRule
}

type robotsRule struct {
	allow   bool
	pattern string
	re      *regexp.Regexp // nil when pattern is a plain prefix
}

// checkRobots returns an error wrapping ErrBlocked when robots.txt
// forbids our user agent to fetch u.
func (f *Fetcher) checkRobots(ctx context.Context, u *url.URL) error {
	if f.opts.IgnoreRobots || u.Path == "/robots.txt" {
		return nil
	}
	key := u.Scheme + "://" + u.Host
	f.mu.Lock()
	e := f.robots[key]
	if e != nil {
		select {
		case <-e.ready:
			if f.now().After(e.expires) {
				e = nil
			}
		default:
		}
	}
	owner := e == nil
	if owner {
		e = &robotsEntry{ready: make(chan struct{})}
		f.robots[key] = e
	}
	f.mu.Unlock()
	if owner {
		rules, ttl := f.fetchRobots(ctx, key)
		e.rules, e.expires = rules, f.now().Add(ttl)
		close(e.ready)
	} else {
		select {
		case <-e.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	if e.rules.disallowAll {
		return fmt.Errorf("%w: robots.txt of %s answered with a server error", ErrBlocked, u.Host)
	}
	if !e.rules.allows(path) {
		return fmt.Errorf("%w: robots.txt of %s disallows %s", ErrBlocked, u.Host, path)
	}
	return nil
}

// fetchRobots reads key's robots.txt: a missing file (4xx) allows
// everything; a server error disallows everything for an hour; a network
// failure allows, since the page fetch itself will then fail and report it.
func (f *Fetcher) fetchRobots(ctx context.Context, key string) (*robotsRules, time.Duration) {
	allowAll := &robotsRules{}
	if err := f.wait(ctx, strings.TrimPrefix(strings.TrimPrefix(key, "https://"), "http://")); err != nil {
		return allowAll, 0
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, key+"/robots.txt", nil)
	if err != nil {
		return allowAll, robotsTTL
	}
	req.Header.Set("User-Agent", f.opts.UserAgent)
	resp, err := f.robotsClient.Do(req)
	if err != nil {
		return allowAll, 0
	}
	defer drain(resp.Body)
	switch {
	case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
		return &robotsRules{disallowAll: true}, robotsErrTTL
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		return allowAll, robotsTTL
	}
	body, err := readCapped(resp.Body, robotsMaxBytes)
	if err != nil && len(body) == 0 {
		return allowAll, robotsErrTTL
	}
	return parseRobots(body, agentToken(f.opts.UserAgent)), robotsTTL
}

// agentToken is the product name robots.txt groups are matched against:
// "sahelwatch" for "sahelwatch/0.1 (+https://...)".
func agentToken(ua string) string {
	ua = strings.ToLower(strings.TrimSpace(ua))
	if i := strings.IndexAny(ua, "/ "); i >= 0 {
		ua = ua[:i]
	}
	return ua
}

// parseRobots keeps the rules of the groups naming agent, or failing
// that of the "*" groups.
func parseRobots(body []byte, agent string) *robotsRules {
	var mine, star []robotsRule
	var haveMine bool
	var agents []string
	inRules := false
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), robotsMaxBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		k, v = strings.ToLower(strings.TrimSpace(k)), strings.TrimSpace(v)
		switch k {
		case "user-agent":
			if inRules { // a user-agent after rules starts a new group
				agents, inRules = nil, false
			}
			agents = append(agents, strings.ToLower(v))
		case "allow", "disallow":
			inRules = true
			for _, a := range agents {
				if a == agent || (agent != "" && strings.HasPrefix(a, agent+"/")) {
					haveMine = true // even "Disallow:" alone makes the group ours
				}
			}
			if v == "" { // "Disallow:" with no path allows everything
				continue
			}
			r := robotsRule{allow: k == "allow", pattern: v}
			if strings.ContainsAny(v, "*$") {
				expr := "^" + strings.ReplaceAll(regexp.QuoteMeta(v), `\*`, ".*")
				if strings.HasSuffix(expr, `\$`) {
					expr = strings.TrimSuffix(expr, `\$`) + "$"
				}
				re, err := regexp.Compile(expr)
				if err != nil {
					continue
				}
				r.re = re
			}
			for _, a := range agents {
				switch {
				case a == agent || (agent != "" && strings.HasPrefix(a, agent+"/")):
					mine = append(mine, r)
				case a == "*":
					star = append(star, r)
				}
			}
		}
	}
	if haveMine {
		return &robotsRules{rules: mine}
	}
	return &robotsRules{rules: star}
}

// allows applies the most specific (longest) matching rule; on a tie,
// Allow wins.
func (r *robotsRules) allows(path string) bool {
	if r.disallowAll {
		return false
	}
	best, allow := -1, true
	for _, rule := range r.rules {
		var ok bool
		if rule.re != nil {
			ok = rule.re.MatchString(path)
		} else {
			ok = strings.HasPrefix(path, rule.pattern)
		}
		if !ok {
			continue
		}
		if n := len(rule.pattern); n > best || (n == best && rule.allow) {
			best, allow = n, rule.allow
		}
	}
	return allow
}
