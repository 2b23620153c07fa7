package creditcode

// EntityType is what a credit code says its holder is. Only codes issued by market
// regulators (character 1 "9") tell enterprises, individual businesses and farmers'
// cooperatives apart by character 2; every other authority's code is Other.
type EntityType string

const (
	Enterprise         EntityType = "enterprise"          // 91…
	IndividualBusiness EntityType = "individual_business" // 92… 个体工商户: no size class
	Cooperative        EntityType = "cooperative"         // 93… farmers' specialised cooperative
	Other              EntityType = "other"               // institutions, social organisations, …
)

// EntityTypeOf derives the entity type from a code's first two characters. It is never
// typed in (POLICIES.md, "Enterprises and their size"). The code is assumed valid.
func EntityTypeOf(code string) EntityType {
	if len(code) < 2 || code[0] != '9' {
		return Other
	}
	switch code[1] {
	case '1':
		return Enterprise
	case '2':
		return IndividualBusiness
	case '3':
		return Cooperative
	}
	return Other
}
