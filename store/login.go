package store

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// LoginURL is ownerURL (a postgres:// URL) with its user replaced by role and no password:
// the same server and database, entered as another role. Where the server trusts local
// connections (development, tests) that is all a login role needs; elsewhere give the
// role's URL, password included, explicitly.
func LoginURL(ownerURL, role string) (string, error) {
	u, err := url.Parse(ownerURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("cannot derive the URL of %s from a database URL that is not postgres://…: give it explicitly", role)
	}
	u.User = url.User(role)
	return u.String(), nil
}

// AppURL is the URL the application logs in with, derived from the owner's: LoginURL with
// AppLogin.
func AppURL(ownerURL string) (string, error) { return LoginURL(ownerURL, AppLogin) }

// SetLoginPassword gives role the password that loginURL carries, connecting as the owner
// (ownerURL). It does nothing when loginURL has no password or names another user: an
// operator who brings a role of their own manages its password too.
func SetLoginPassword(ctx context.Context, ownerURL, loginURL, role string) error {
	u, err := url.Parse(loginURL)
	if err != nil {
		return fmt.Errorf("store: the URL for %s does not parse", role)
	}
	password, ok := u.User.Password()
	if !ok || password == "" || u.User.Username() != role {
		return nil
	}
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		return fmt.Errorf("store: set password of %s: connect: %w", role, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// ALTER ROLE takes no parameters: the server quotes the name and the password itself.
	var stmt string
	if err := conn.QueryRow(ctx, "SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text)", role, password).Scan(&stmt); err != nil {
		return fmt.Errorf("store: set password of %s: %w", role, err)
	}
	if _, err := conn.Exec(ctx, stmt); err != nil {
		return fmt.Errorf("store: set password of %s: %w", role, err)
	}
	return nil
}
