package api

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/subsidyflow/subsidyflow/apperr"
	"github.com/subsidyflow/subsidyflow/freight"
	"github.com/subsidyflow/subsidyflow/money"
	"github.com/subsidyflow/subsidyflow/program"
)

// freightParamsRequest is the "params" object of a freight program; absent members take
// freight.DefaultParams.
type freightParamsRequest struct {
	Rate              *string  `json:"rate" validate:"omitempty,rate"`
	YearlyCap         *string  `json:"yearly_cap" validate:"omitempty,amount"`
	ProductCategories []string `json:"product_categories" validate:"omitempty,max=500,dive,notblank,max=100"`
	ExcludedModes     []string `json:"excluded_modes" validate:"omitempty,unique,dive,mode"`
}

// paramsOf checks and completes the kind-specific parameters and returns them as stored.
// Field errors are keyed relative to "params"; a params object of the wrong shape is a
// malformed request (400) like any other body.
func paramsOf(kind program.Kind, raw json.RawMessage) (json.RawMessage, map[string]string, error) {
	switch kind {
	case program.Freight:
		return freightParams(raw)
	}
	return nil, map[string]string{"": "cannot be set for programs of kind " + string(kind)}, nil
}

func freightParams(raw json.RawMessage) (json.RawMessage, map[string]string, error) {
	var req freightParamsRequest
	if err := decodeBytes(raw, &req, true); err != nil {
		return nil, nil, underPrefix(err, "params")
	}
	errs := checkStruct(&req, "")
	if len(errs) > 0 {
		return nil, errs, nil
	}
	p := freight.DefaultParams()
	if req.Rate != nil {
		p.Rate = mustDecimal(*req.Rate)
	}
	if req.YearlyCap != nil {
		p.YearlyCap = mustDecimal(*req.YearlyCap)
	}
	if req.ProductCategories != nil {
		p.ProductCategories = req.ProductCategories
	}
	if req.ExcludedModes != nil {
		p.ExcludedModes = req.ExcludedModes
	}
	if errs := p.Validate(); errs != nil {
		return nil, errs, nil
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, nil, fmt.Errorf("encode freight params: %w", err)
	}
	return b, nil, nil
}

// underPrefix moves a malformed error's field errors under prefix; "body" (the document as
// a whole) becomes the prefix itself.
func underPrefix(err error, prefix string) error {
	var m *malformed
	if !errors.As(err, &m) {
		return err
	}
	fields := map[string]string{}
	for f, msg := range m.err.Fields {
		if f == "body" {
			f = ""
		}
		fields[joinPath(prefix, f)] = msg
	}
	return &malformed{tooLarge: m.tooLarge, err: &apperr.Error{Code: m.err.Code, Message: m.err.Message, Fields: fields}}
}

// freightParamsView shows freight parameters with amounts in the API's money form
// ("500000.00"), which the stored JSON (decimal's shortest form) does not keep.
type freightParamsView struct {
	Rate              string   `json:"rate"`
	YearlyCap         string   `json:"yearly_cap"`
	ProductCategories []string `json:"product_categories"`
	ExcludedModes     []string `json:"excluded_modes"`
}

// viewParams renders stored parameters for clients; a kind without a view, or parameters
// that do not decode, are shown as stored.
func viewParams(kind program.Kind, raw json.RawMessage) json.RawMessage {
	if kind != program.Freight || len(raw) == 0 {
		return optJSON(raw)
	}
	var p freight.Params
	if err := json.Unmarshal(raw, &p); err != nil {
		return raw
	}
	v := freightParamsView{Rate: formatRate(p.Rate), YearlyCap: money.Format(p.YearlyCap),
		ProductCategories: nonNil(p.ProductCategories), ExcludedModes: nonNil(p.ExcludedModes)}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return b
}

// formatRate shows a rate with at least 2 decimals ("0.50") and every significant one.
func formatRate(r decimal.Decimal) string {
	if r.Exponent() >= -2 {
		return r.StringFixed(2)
	}
	return r.String()
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
