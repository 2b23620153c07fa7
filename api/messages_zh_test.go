package api

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

	"github.com/subsidyflow/subsidyflow/i18n"
)

// apiMessagePackages are the packages whose error texts reach API clients as a problem's
// detail or a field error's message: the API itself, the store (conflicts, not found), and
// every package api/validate.go and the kinds' parameter checks call.
var apiMessagePackages = []string{
	"api", "apperr", "store", "filing", "access", "enterprise", "program", "claim", "lpr",
	"money", "creditcode", "region", "plaintext", "sizeclass", "kind", "kind/registry",
	"freight", "rent", "voucher", "guarantee", "interest", "workflows/contract", "reconcile",
}

// internalFormats are literals the scan finds that never reach a client as they are: wraps
// around another error for the log (a 500 shows a generic sentence instead), or texts that
// only join translated parts.
var internalFormats = regexp.MustCompile(`^(%[sdvwq]|%s: %[sw]|[^ ]*(payload|params|parameters)[^ ]*: %w|.*%w.*)$`)

// internalOnly are literals the scan finds that are logged or used as codes, never shown:
// health check states, SQL fragments, start-up and OpenAPI build failures, panics.
var internalOnly = map[string]bool{
	", $%d)": true, "down": true, "no_worker": true, "panic: %v": true,
	"kind %s: schema %s is defined twice": true, "no object at %q": true,
	"cannot derive the URL of %s from a database URL that is not postgres://…: give it explicitly": true,
	"interest payload: loan: %s": true, "interest payload: report: %s": true,
}

// apiMessages finds the string literals the API packages pass as a message: the format of
// apperr.New, errors.New and fmt.Errorf, and what a field error map is given
// (errs["x"] = "…" or errs["x"] = fmt.Sprintf("…", …), and the values of a map literal
// handed to apperr.InvalidFields).
func apiMessages(t *testing.T) map[string]string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{} // literal → where
	fset := token.NewFileSet()
	add := func(e ast.Expr) {
		lit, ok := e.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return
		}
		s, err := strconv.Unquote(lit.Value)
		if err != nil || strings.TrimSpace(s) == "" {
			return
		}
		if _, seen := found[s]; !seen {
			found[s] = fset.Position(lit.Pos()).String()
		}
	}
	sprintfFormat := func(e ast.Expr) ast.Expr {
		if c, ok := e.(*ast.CallExpr); ok && isCall(c, "fmt", "Sprintf") && len(c.Args) > 0 {
			return c.Args[0]
		}
		return e
	}
	for _, pkg := range apiMessagePackages {
		files, _ := filepath.Glob(filepath.Join(root, pkg, "*.go"))
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(fset, name, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					switch {
					case isCall(n, "apperr", "New") && len(n.Args) > 1:
						add(n.Args[1])
					case (isCall(n, "errors", "New") || isCall(n, "fmt", "Errorf")) && len(n.Args) > 0:
						add(n.Args[0])
					case isFunc(n, "badBody") || isFunc(n, "invalid"):
						for _, a := range n.Args {
							add(sprintfFormat(a))
							if cl, ok := a.(*ast.CompositeLit); ok {
								for _, el := range cl.Elts {
									if kv, ok := el.(*ast.KeyValueExpr); ok {
										add(sprintfFormat(kv.Value))
									}
								}
							}
						}
					case isAction(n):
						for _, a := range n.Args {
							add(a)
						}
					case isCall(n, "apperr", "InvalidFields") && len(n.Args) == 1:
						if cl, ok := n.Args[0].(*ast.CompositeLit); ok {
							for _, el := range cl.Elts {
								if kv, ok := el.(*ast.KeyValueExpr); ok {
									add(sprintfFormat(kv.Value))
								}
							}
						}
					}
				case *ast.KeyValueExpr: // &apperr.Error{Message: "…"}
					if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Message" {
						add(sprintfFormat(n.Value))
					}
				case *ast.AssignStmt:
					if len(n.Lhs) == 1 && len(n.Rhs) == 1 {
						if _, ok := n.Lhs[0].(*ast.IndexExpr); ok {
							add(sprintfFormat(n.Rhs[0]))
						}
					}
				}
				return true
			})
		}
	}
	for s := range found {
		if internalOnly[s] || strings.HasPrefix(s, "store: ") || internalFormats.MatchString(s) || !strings.ContainsAny(s, "abcdefghijklmnopqrstuvwxyz") {
			delete(found, s)
		}
	}
	return found
}

// actionFuncs take what a role may or may not do, the %s of "your role (%s) may not %s".
var actionFuncs = map[string]bool{
	"requireRole": true, "requireFinance": true, "financeMay": true, "applicantMay": true,
	"partyMay": true, "adminMay": true, "claimFromRequest": true, "lenderLoan": true,
}

func isAction(c *ast.CallExpr) bool {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return actionFuncs[f.Name]
	case *ast.SelectorExpr:
		return actionFuncs[f.Sel.Name]
	}
	return false
}

func isFunc(c *ast.CallExpr, fn string) bool {
	id, ok := c.Fun.(*ast.Ident)
	return ok && id.Name == fn
}

func isCall(c *ast.CallExpr, pkg, fn string) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != fn {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == pkg
}

// TestEveryAPIMessageHasChinese keeps the catalog complete: a new apperr.New or field
// message without Chinese fails here, not in front of a Chinese client.
func TestEveryAPIMessageHasChinese(t *testing.T) {
	msgs := apiMessages(t)
	if len(msgs) < 50 {
		t.Fatalf("the scan found only %d messages; is it still looking at the right calls?", len(msgs))
	}
	var lacking []string
	for s, where := range msgs {
		if !i18n.ZH.Has(s) {
			lacking = append(lacking, where+": "+strconv.Quote(s))
		}
	}
	sort.Strings(lacking)
	if len(lacking) > 0 {
		t.Errorf("%d API messages lack Chinese (add them to i18n/catalog_api.go):\n%s",
			len(lacking), strings.Join(lacking, "\n"))
	}
}
