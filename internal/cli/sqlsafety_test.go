package cli

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// SQL only through parameters (issue 9): a static check over the store
// backends. Wherever a string built with + or fmt.Sprintf contains SQL,
// every piece must be a literal, a constant, our own helper's result
// (placeholders, WHERE builders) or a local variable built only from such
// pieces. A function parameter, a struct field of one (f.Country) or any
// value derived from them spliced into SQL fails the test: user values go
// in as ? or $n arguments.
func TestSQLOnlyThroughParameters(t *testing.T) {
	root := filepath.Join("..", "store")
	var files []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() && strings.HasSuffix(p, ".go") && !strings.HasSuffix(p, "_test.go") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no store sources found")
	}
	byDir := map[string][]string{}
	for _, f := range files {
		byDir[filepath.Dir(f)] = append(byDir[filepath.Dir(f)], f)
	}
	var problems []string
	for _, dir := range sortedKeys(byDir) {
		problems = append(problems, checkSQLPackage(t, byDir[dir])...)
	}
	for _, p := range problems {
		t.Error(p)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

var sqlWords = regexp.MustCompile(`\b(SELECT|INSERT|UPDATE|DELETE|WHERE|FROM|VALUES|SET|AND|OR|LIMIT|ORDER BY|CREATE|DROP|ALTER)\b`)

// sqlChecker holds one package's view: its package-level names, and which
// parameters of its unexported functions and closures only ever receive
// safe arguments (a WHERE builder taking fragments the package wrote).
type sqlChecker struct {
	fset      *token.FileSet
	globals   map[string]bool // package-level consts, vars and funcs: ours, not the user's
	paramSafe map[string]bool // "func#i" -> every call passes a safe argument
	out       []string
}

type sqlFunc struct {
	name string
	typ  *ast.FuncType
	body *ast.BlockStmt
}

func checkSQLPackage(t *testing.T, files []string) []string {
	c := &sqlChecker{fset: token.NewFileSet(), globals: map[string]bool{}, paramSafe: map[string]bool{}}
	var funcs []sqlFunc
	for _, f := range files {
		af, err := parser.ParseFile(c.fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range af.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, s := range d.Specs {
					if vs, ok := s.(*ast.ValueSpec); ok {
						for _, n := range vs.Names {
							c.globals[n.Name] = true
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil {
					c.globals[d.Name.Name] = true
				}
				if d.Body != nil {
					funcs = append(funcs, sqlFunc{d.Name.Name, d.Type, d.Body})
				}
			}
		}
	}
	// Parameters of unexported functions start safe; exported ones take
	// values from outside the package and never are.
	for _, f := range funcs {
		for i := range paramNames(f.typ) {
			c.paramSafe[f.name+"#"+strconv.Itoa(i)] = !ast.IsExported(f.name)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, f := range funcs {
			for _, key := range c.unsafeCalls(f) {
				if c.paramSafe[key] {
					c.paramSafe[key], changed = false, true
				}
			}
		}
	}
	for _, f := range funcs {
		c.checkFunc(f)
	}
	return c.out
}

func paramNames(ft *ast.FuncType) []string {
	var names []string
	if ft.Params == nil {
		return nil
	}
	for _, f := range ft.Params.List {
		if len(f.Names) == 0 {
			names = append(names, "_")
		}
		for _, n := range f.Names {
			names = append(names, n.Name)
		}
	}
	return names
}

// localSafety decides which local names of f are safe: assigned only from
// safe expressions, or parameters that only receive safe arguments.
// Closures assigned to a name are checked as functions of that name.
func (c *sqlChecker) localSafety(f sqlFunc) (safe map[string]bool, sqlVars map[string]bool) {
	assigns := map[string][]ast.Expr{}
	safe = map[string]bool{}
	unsafe := map[string]bool{}
	param := func(fn string, ft *ast.FuncType) {
		for i, n := range paramNames(ft) {
			if c.paramSafe[fn+"#"+strconv.Itoa(i)] {
				safe[n] = true
			} else {
				unsafe[n] = true
			}
		}
	}
	param(f.name, f.typ)
	ast.Inspect(f.body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id := rootIdent(l)
				if id == "" {
					continue
				}
				var rhs ast.Expr
				switch {
				case len(n.Rhs) == len(n.Lhs):
					rhs = n.Rhs[i]
				case len(n.Rhs) == 1:
					rhs = n.Rhs[0] // a, b := f()
				}
				if fl, ok := rhs.(*ast.FuncLit); ok {
					c.registerClosure(id, fl)
					param(id, fl.Type)
					continue
				}
				if rhs != nil {
					assigns[id] = append(assigns[id], rhs)
				}
			}
		case *ast.ValueSpec:
			for i, nm := range n.Names {
				if i < len(n.Values) {
					assigns[nm.Name] = append(assigns[nm.Name], n.Values[i])
				}
			}
		case *ast.RangeStmt:
			// Loop variables over a safe collection are safe.
			for _, k := range []ast.Expr{n.Key, n.Value} {
				if id := rootIdent(k); id != "" {
					assigns[id] = append(assigns[id], n.X)
				}
			}
		}
		return true
	})
	for id := range assigns {
		if !unsafe[id] {
			safe[id] = true
		}
	}
	for changed := true; changed; {
		changed = false
		for id, exprs := range assigns {
			if !safe[id] {
				continue
			}
			for _, e := range exprs {
				if !c.safeExpr(e, safe) {
					safe[id] = false
					changed = true
					break
				}
			}
		}
	}
	sqlVars = map[string]bool{}
	for id, exprs := range assigns {
		for _, e := range exprs {
			sqlVars[id] = sqlVars[id] || containsSQL(e)
		}
	}
	return safe, sqlVars
}

func (c *sqlChecker) registerClosure(name string, fl *ast.FuncLit) {
	for i := range paramNames(fl.Type) {
		if _, ok := c.paramSafe[name+"#"+strconv.Itoa(i)]; !ok {
			c.paramSafe[name+"#"+strconv.Itoa(i)] = true
		}
	}
}

// unsafeCalls lists the parameters ("func#i") that some call in f passes
// an unsafe argument to. Calls are matched by name: a method by its own
// name, a closure by the variable holding it.
func (c *sqlChecker) unsafeCalls(f sqlFunc) []string {
	safe, _ := c.localSafety(f)
	var keys []string
	ast.Inspect(f.body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		var name string
		switch fn := call.Fun.(type) {
		case *ast.Ident:
			name = fn.Name
		case *ast.SelectorExpr:
			name = fn.Sel.Name
		}
		for i, a := range call.Args {
			key := name + "#" + strconv.Itoa(i)
			if _, known := c.paramSafe[key]; known && !c.safeExpr(a, safe) {
				keys = append(keys, key)
			}
		}
		return true
	})
	return keys
}

// checkFunc checks every SQL string f builds.
func (c *sqlChecker) checkFunc(f sqlFunc) {
	safe, sqlVars := c.localSafety(f)
	holdsSQL := func(e ast.Expr) bool {
		if containsSQL(e) {
			return true
		}
		found := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && sqlVars[id.Name] {
				found = true
			}
			return !found
		})
		return found
	}
	ast.Inspect(f.body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && as.Tok == token.ADD_ASSIGN && len(as.Lhs) == 1 {
			if sqlVars[rootIdent(as.Lhs[0])] && !c.safeExpr(as.Rhs[0], safe) {
				c.report(as.Rhs[0], "SQL extended with a value that is not ours")
			}
			return true
		}
		e, ok := n.(ast.Expr)
		if !ok {
			return true
		}
		switch e := e.(type) {
		case *ast.BinaryExpr:
			if e.Op == token.ADD && holdsSQL(e) && !c.safeExpr(e, safe) {
				c.report(e, "SQL built by concatenation with a value that is not ours")
				return false
			}
		case *ast.CallExpr:
			if isCall(e, "fmt", "Sprintf") && len(e.Args) > 0 && containsSQL(e.Args[0]) && !c.safeExpr(e, safe) {
				c.report(e, "SQL built by fmt.Sprintf with a value that is not ours")
				return false
			}
		}
		return true
	})
}

func (c *sqlChecker) report(e ast.Expr, msg string) {
	c.out = append(c.out, c.fset.Position(e.Pos()).String()+": "+msg)
}

// safeExpr reports whether e can only hold text the program wrote.
func (c *sqlChecker) safeExpr(e ast.Expr, safe map[string]bool) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return c.safeExpr(e.X, safe)
	case *ast.Ident:
		return c.globals[e.Name] || safe[e.Name] || e.Name == "nil" || e.Name == "true" || e.Name == "false"
	case *ast.BinaryExpr:
		return c.safeExpr(e.X, safe) && c.safeExpr(e.Y, safe)
	case *ast.SelectorExpr:
		return c.safeExpr(e.X, safe)
	case *ast.IndexExpr:
		return c.safeExpr(e.X, safe)
	case *ast.SliceExpr:
		return c.safeExpr(e.X, safe)
	case *ast.StarExpr:
		return c.safeExpr(e.X, safe)
	case *ast.UnaryExpr:
		return c.safeExpr(e.X, safe)
	case *ast.CompositeLit:
		for _, el := range e.Elts {
			if kv, ok := el.(*ast.KeyValueExpr); ok {
				el = kv.Value
			}
			if !c.safeExpr(el, safe) {
				return false
			}
		}
		return true
	case *ast.CallExpr:
		switch {
		case isCall(e, "fmt", "Sprintf"), isCall(e, "fmt", "Sprint"), isCall(e, "strings", "Join"),
			isCall(e, "strings", "Repeat"), isCall(e, "strings", "ReplaceAll"), isIdentCall(e, "append"), isIdentCall(e, "string"):
			for _, a := range e.Args {
				if !c.safeExpr(a, safe) {
					return false
				}
			}
			return true
		}
		// Numbers, and helpers that return SQL of their own making
		// (placeholders, a WHERE builder that binds its values).
		return true
	case *ast.TypeAssertExpr, *ast.FuncLit, *ast.KeyValueExpr:
		return true
	}
	return false
}

func isCall(e *ast.CallExpr, pkg, name string) bool {
	sel, ok := e.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg && sel.Sel.Name == name
}

func isIdentCall(e *ast.CallExpr, name string) bool {
	id, ok := e.Fun.(*ast.Ident)
	return ok && id.Name == name
}

// rootIdent is the variable an assignment target writes: x, x[i], x.f.
func rootIdent(e ast.Expr) string {
	for {
		switch v := e.(type) {
		case *ast.Ident:
			if v.Name == "_" {
				return ""
			}
			return v.Name
		case *ast.IndexExpr:
			e = v.X
		case *ast.SelectorExpr:
			e = v.X
		case *ast.StarExpr:
			e = v.X
		default:
			return ""
		}
	}
}

// containsSQL reports whether a string literal inside e reads as SQL.
func containsSQL(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if bl, ok := n.(*ast.BasicLit); ok && bl.Kind == token.STRING && sqlWords.MatchString(bl.Value) {
			found = true
		}
		return !found
	})
	return found
}

// The checker itself: it must catch the classic mistakes.
func TestSQLCheckerCatches(t *testing.T) {
	src := `package p
import "fmt"
const cols = "id, doc"
func Bad1(f Filter) string { return "SELECT * FROM events WHERE admin1 = '" + f.Admin1 + "'" }
func Bad2(name string) string { return fmt.Sprintf("SELECT %s FROM events WHERE doc = '%s'", cols, name) }
func Bad3(doc string) string { q := "DELETE FROM reports WHERE doc = '"; q += doc; return q + "'" }
func where(v string) string { return " WHERE doc = '" + v + "'" }
func Bad4(doc string) string { return "SELECT " + cols + " FROM reports" + where(doc) }
func cond(c string) string { return " WHERE " + c }
func Good(f Filter) (string, []any) {
	q := "SELECT " + cols + " FROM events"
	var args []any
	add := func(c string, v any) { q += " AND " + c; args = append(args, v) }
	if f.Admin1 != "" { q += cond("admin1 = ?"); args = append(args, f.Admin1) }
	if f.Doc != "" { add("doc = ?", f.Doc) }
	return q + " LIMIT " + fmt.Sprint(100), args
}
`
	dir := t.TempDir()
	p := filepath.Join(dir, "p.go")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := checkSQLPackage(t, []string{p})
	var lines []string
	for _, g := range got {
		lines = append(lines, g[strings.Index(g, ":")+1:strings.Index(g, ": SQL")])
	}
	want := []string{"4:37", "5:40", "6:79", "6:91", "7:38"} // Good (lines 9-16) is clean
	if strings.Join(lines, " ") != strings.Join(want, " ") {
		t.Errorf("checker found %v, want positions %v:\n%s", lines, want, strings.Join(got, "\n"))
	}
}
