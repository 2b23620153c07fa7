package api

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/creditcode"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/plaintext"
	"github.com/subsidyflow/subsidyflow/program"
	"github.com/subsidyflow/subsidyflow/region"
	"github.com/subsidyflow/subsidyflow/sizeclass"
)

// dateLayout is how dates travel in JSON: a calendar day, no time, no zone.
const dateLayout = time.DateOnly

// checks are the custom tags. Each returns the sentence shown for a failing value, or nil;
// the same function serves the validator (pass/fail) and the message (why), so the two
// cannot disagree.
var checks = map[string]func(v, param string) error{
	"creditcode": func(v, _ string) error {
		return prefixed("must be a valid unified social credit code", creditcode.Validate(v))
	},
	"region":   func(v, _ string) error { return region.Validate(v) },
	"amount":   checkAmount,
	"rate":     func(v, _ string) error { _, err := money.ParseRate(v); return err },
	"date":     func(v, _ string) error { _, err := parseDate(v); return err },
	"industry": checkIndustry,
	"kind":     checkKind,
	"digits":   checkDigits,
	"notblank": checkNotBlank,
	"text":     func(v, _ string) error { return plaintext.Check(v, true) },
}

// validate is built once: the validator caches struct metadata and is safe for concurrent use.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string { return jsonName(f) })
	for tag, check := range checks {
		err := v.RegisterValidation(tag, func(fl validator.FieldLevel) bool {
			return check(fl.Field().String(), fl.Param()) == nil
		})
		if err != nil {
			panic("api: register validation " + tag + ": " + err.Error()) // a typo in a tag name
		}
	}
	return v
}

// checkStruct runs the struct tags of dst and returns field errors keyed by JSON path
// (prefix, if any, is put in front: "params.rate").
func checkStruct(dst any, prefix string) map[string]string {
	errs := map[string]string{}
	err := validate.Struct(dst)
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return errs
	}
	// The validator puts the Go type's name first, except for an unnamed type (the claim
	// request built from the registry), where the namespace starts at the first field.
	t := reflect.TypeOf(dst)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	named := t.Name() != ""
	for _, fe := range ves {
		if named {
			errs[fieldPath(prefix, fe.Namespace())] = message(fe)
		} else {
			errs[joinPath(prefix, fe.Namespace())] = message(fe)
		}
	}
	return errs
}

// fieldPath drops the Go type name the validator puts first ("createClaim.freight.x").
func fieldPath(prefix, ns string) string {
	_, rest, found := strings.Cut(ns, ".")
	if !found {
		rest = ns
	}
	return joinPath(prefix, rest)
}

// message turns a failed tag into a sentence a person can act on.
func message(fe validator.FieldError) string {
	if check, ok := checks[fe.Tag()]; ok {
		if err := check(fmt.Sprint(fe.Value()), fe.Param()); err != nil {
			return err.Error()
		}
	}
	plural := func(n, one, many string) string {
		if n == "1" {
			return n + " " + one
		}
		return n + " " + many
	}
	list := fe.Kind() == reflect.Slice
	switch fe.Tag() {
	case "required":
		return "is required"
	case "min":
		if list {
			return "must list at least " + plural(fe.Param(), "item", "items")
		}
		if fe.Kind() == reflect.String {
			return "must be at least " + plural(fe.Param(), "character", "characters") + " long"
		}
		return "must be at least " + fe.Param()
	case "max":
		if list {
			return "must list at most " + plural(fe.Param(), "item", "items")
		}
		if fe.Kind() == reflect.String {
			return "must be at most " + plural(fe.Param(), "character", "characters") + " long"
		}
		return "must be at most " + fe.Param()
	case "unique":
		return "must not list the same value twice"
	case "oneof":
		return "must be one of " + strings.Join(strings.Fields(fe.Param()), ", ")
	}
	return "is not valid (" + fe.Tag() + ")"
}

// prefixed puts a general sentence before a specific cause: "must be a valid … code: check
// character mismatch (expected L)".
func prefixed(general string, err error) error {
	if err == nil {
		return nil
	}
	return errors.New(general + ": " + err.Error())
}

// checkAmount is money.Parse; with param "nonneg" zero is allowed too (a revenue of 0 is a
// fact, a subsidy of 0 is not).
func checkAmount(v, param string) error {
	_, err := money.Parse(v)
	if param == "nonneg" && errors.Is(err, money.ErrNotPositive) {
		if strings.HasPrefix(v, "-") {
			return errors.New("must not be negative")
		}
		return nil
	}
	return err
}

// Dates outside [firstYear, lastYear] are typing mistakes (PostgreSQL would store year 0
// as 1 BC), not policy periods.
const firstYear, lastYear = 1900, 2199

// parseDate reads a "YYYY-MM-DD" calendar day as UTC midnight.
func parseDate(v string) (time.Time, error) {
	t, err := time.Parse(dateLayout, v)
	if err != nil {
		return time.Time{}, errors.New(`must be a date such as "2024-03-01"`)
	}
	if t.Year() < firstYear || t.Year() > lastYear {
		return time.Time{}, fmt.Errorf("must be between %d-01-01 and %d-12-31", firstYear, lastYear)
	}
	return t, nil
}

func checkIndustry(v, _ string) error {
	if _, ok := sizeclass.ParseIndustry(v); ok {
		return nil
	}
	names := make([]string, len(sizeclass.Industries))
	for i, ind := range sizeclass.Industries {
		names[i] = string(ind)
	}
	return fmt.Errorf("must be one of %s", strings.Join(names, ", "))
}

func checkKind(v, _ string) error {
	for _, k := range program.Kinds {
		if string(k) == v {
			return nil
		}
	}
	names := make([]string, len(program.Kinds))
	for i, k := range program.Kinds {
		names[i] = string(k)
	}
	return fmt.Errorf("must be one of %s", strings.Join(names, ", "))
}

func checkDigits(v, _ string) error {
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return errors.New("must contain digits only")
		}
	}
	return nil
}

// checkNotBlank refuses text that is only spaces, and control characters that would spoil
// a bank file or a log line.
func checkNotBlank(v, _ string) error {
	if strings.TrimSpace(v) == "" {
		return errors.New("must not be blank")
	}
	return plaintext.Check(v, false)
}

// invalid returns nil when errs is empty and the Invalid error listing them otherwise.
func invalid(errs map[string]string) error {
	if len(errs) == 0 {
		return nil
	}
	return apperr.InvalidFields(errs)
}

// mergeFields adds src's errors under prefix to dst, keeping an error dst already has for a
// field: the first (most specific) message wins.
func mergeFields(dst, src map[string]string, prefix string) {
	for f, msg := range src {
		p := joinPath(prefix, f)
		if _, ok := dst[p]; !ok {
			dst[p] = msg
		}
	}
}
