// Package schema holds subsidyflow's PostgreSQL migrations, numbered and embedded in the
// binary so a deployed service can bring its database up to date by itself (store.Migrate).
// A migration is never edited once released; a change is a new, higher-numbered file.
package schema

import "embed"

// FS holds the migrations, named NNNN_description.sql and applied in name order.
//
//go:embed *.sql
var FS embed.FS
