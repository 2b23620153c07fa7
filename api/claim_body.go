package api

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/kind"
	"github.com/subsidyflow/subsidyflow/kind/registry"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// claimRequestType is the claim request as one struct: program_id plus one optional member
// per registered kind, named after the kind and typed as the kind's body request. Building
// it from the registry lets the shared shape check and validator report every error with
// its full path ("freight.shipments[2].amount") without the API naming any kind.
var claimRequestType = sync.OnceValue(func() reflect.Type {
	fields := []reflect.StructField{{
		Name: "ProgramID", Type: reflect.TypeOf(""),
		Tag: `json:"program_id" validate:"required,max=64"`,
	}}
	for _, r := range registry.All() {
		if !kind.Filed(r) {
			continue
		}
		body := r.NewBody()
		fields = append(fields, reflect.StructField{
			Name: fmt.Sprintf("Kind%d", len(fields)), Type: reflect.TypeOf(body),
			Tag: reflect.StructTag(fmt.Sprintf(`json:"%s"`, r.Kind())),
		})
	}
	return reflect.StructOf(fields)
})

// claimRequest is a decoded claim request.
type claimRequest struct {
	ProgramID string
	bodies    map[program.Kind]kind.BodyRequest // the kind members present
	value     reflect.Value                     // the whole request, for the validator
}

// newClaimRequest returns an empty request to decode into.
func newClaimRequest() *claimRequest {
	return &claimRequest{value: reflect.New(claimRequestType())}
}

// target is what decodeJSON fills.
func (c *claimRequest) target() any { return c.value.Interface() }

// collect reads the decoded members back out.
func (c *claimRequest) collect() {
	v := c.value.Elem()
	c.ProgramID = v.Field(0).String()
	c.bodies = map[program.Kind]kind.BodyRequest{}
	for i := 1; i < v.NumField(); i++ {
		f := v.Field(i)
		if f.IsNil() {
			continue
		}
		name := jsonName(v.Type().Field(i))
		c.bodies[program.Kind(name)] = f.Interface().(kind.BodyRequest)
	}
}

// claimLines is a claim's body made ready for the store and the workflow.
type claimLines struct {
	requested decimal.Decimal // exact sum of the line amounts
	payload   json.RawMessage // what the kind's assessment unmarshals
	parties   []string        // other parties the payload names (a lease's landlord)
}

// lines checks that the request carries the body of the program's kind (and no other) and
// normalises it with the kind's rules.
func (c *claimRequest) lines(k program.Kind) (claimLines, error) {
	errs := map[string]string{}
	for other := range c.bodies {
		if other != k {
			errs[string(other)] = "does not match the program, which is a " + string(k) + " program"
		}
	}
	body, ok := c.bodies[k]
	if !ok {
		if r, known := registry.Lookup(k); !known || !kind.Filed(r) {
			errs["program_id"] = "programs of kind " + string(k) + " take no claims through this endpoint"
		} else {
			errs[string(k)] = "is required: the program is a " + string(k) + " program"
		}
	}
	if len(errs) > 0 {
		return claimLines{}, invalid(errs)
	}
	payload, requested, ferrs := body.Normalise()
	if len(ferrs) > 0 {
		out := map[string]string{}
		mergeFields(out, ferrs, string(k))
		return claimLines{}, invalid(out)
	}
	if !money.Fits(requested) {
		return claimLines{}, invalid(map[string]string{string(k): "the lines' amounts together are too large to store; split the claim"})
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return claimLines{}, fmt.Errorf("encode %s payload: %w", k, err)
	}
	rules, _ := registry.Lookup(k)
	return claimLines{requested: requested, payload: b, parties: rules.Parties(b)}, nil
}
