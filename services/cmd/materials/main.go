// Command materials runs the materials service.
//
//	materials serve [--dev]       serve the API (the default command)
//	materials token [--role R]    print a signed development token
//	materials describe            print the wired stories, step by step
//
// Configuration comes from the environment; see services/platform/host and
// services/platform/auth for the variables. --dev (or CHARTER_DEV=1) signs and
// verifies with the public development key, seeds demo data into an
// empty store and prints one token per demo role.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/host"
	"github.com/charterhq/charter/services/materials"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "materials:", err)
		os.Exit(1)
	}
}

func run(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(args, getenv, stdout, stderr)
	case "token":
		return token(args, getenv, stdout)
	case "describe":
		return describe(getenv, stdout)
	default:
		return fmt.Errorf("unknown command %q (serve, token or describe)", cmd)
	}
}

func serve(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dev := fs.Bool("dev", false, "development mode: development signing key, demo data, tokens printed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := host.FromEnv(getenv)
	if err != nil {
		return err
	}
	cfg.Dev = cfg.Dev || *dev
	logger := host.NewLogger(cfg, stderr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	authCfg, err := authConfig(getenv, cfg.Dev)
	if err != nil {
		return err
	}
	verifier, err := auth.NewVerifier(authCfg)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if cfg.Dev {
		n, err := seedDemo(ctx, store.repo, time.Now())
		if err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
		if n > 0 {
			logger.Info("demo data added", "materials", n)
		}
	}
	h, err := materials.NewHandler(materials.Options{
		Repository: store.repo,
		Verify:     verifier.Verify,
		Logger:     logger,
		BodyLimit:  cfg.BodyLimit,
		Ready:      store.ping,
		AccessLog:  true,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	logger.Info("listening", "addr", ln.Addr().String(), "store", store.kind, "dev", cfg.Dev)
	if cfg.Dev {
		if err := printWelcome(stdout, ln.Addr(), authCfg); err != nil {
			return err
		}
	}
	return host.Serve(ctx, host.NewServer(cfg, h, logger), ln, cfg, logger)
}

// authConfig reads the token configuration. In development mode a
// configuration without a key falls back to the public development key;
// outside it, a missing key is an error rather than an open door.
func authConfig(getenv func(string) string, dev bool) (auth.Config, error) {
	c, err := auth.ConfigFromEnv(getenv)
	if err != nil {
		return c, err
	}
	if !c.HasKeys() {
		if !dev {
			return c, errors.New("no key to verify tokens with: set CHARTER_JWT_HS256_SECRET or CHARTER_JWT_PUBLIC_KEY_FILE, or run with --dev")
		}
		return auth.DevelopmentConfig(), nil
	}
	if !dev && c.UsesDevelopmentSecret() {
		return c, errors.New("the development secret is public: it verifies tokens only with --dev")
	}
	return c, nil
}

func token(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "print only this demo role's token: staff, external or viewer")
	ttl := fs.Duration("ttl", 12*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := authConfig(getenv, true)
	if err != nil {
		return err
	}
	signer, err := auth.NewSigner(c)
	if err != nil {
		return err
	}
	tokens, err := auth.DevTokens(signer, *ttl)
	if err != nil {
		return err
	}
	for _, t := range tokens {
		if *role == "" {
			fmt.Fprintf(stdout, "%s\t%s\n", t.Name, t.Token)
		} else if t.Name == *role {
			fmt.Fprintln(stdout, t.Token)
			return nil
		}
	}
	if *role != "" {
		return fmt.Errorf("no demo role %q (staff, external or viewer)", *role)
	}
	return nil
}

func printWelcome(w io.Writer, addr net.Addr, c auth.Config) error {
	signer, err := auth.NewSigner(c)
	if err != nil {
		return err
	}
	tokens, err := auth.DevTokens(signer, 12*time.Hour)
	if err != nil {
		return err
	}
	base := "http://" + displayAddr(addr)
	fmt.Fprintf(w, "\nMaterials is running in development mode.\n\n")
	fmt.Fprintf(w, "  Docs (Swagger UI): %s/docs\n  Spec:              %s/openapi.json\n\n", base, base)
	fmt.Fprintf(w, "Press Authorize in the docs and paste one of these tokens (valid 12 hours):\n\n")
	for _, t := range tokens {
		fmt.Fprintf(w, "  %s — %s\n  %s\n\n", t.Name, t.Description, t.Token)
	}
	fmt.Fprintf(w, "Or: curl -H \"Authorization: Bearer $(go run ./services/cmd/materials token --role staff)\" %s/materials\n\n", base)
	return nil
}

// displayAddr turns a wildcard listen address into one a browser opens.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
