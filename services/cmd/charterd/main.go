// Command charterd runs Charter's services: every one by default, each on
// its own address over its own database, or the subset --services (or
// CHARTER_SERVICES) names, so that each can also run as its own process.
//
//	charterd serve [--dev] [--services a,b]   serve the APIs (the default command)
//	charterd token [--role R] [--company N]   print a signed development token
//	charterd describe                         print the wired stories, step by step
//	charterd rebuild <service> <read model>   build a read model again by replaying the events it is kept from
//	charterd version                          print the version and source revision of the build
//
// Configuration comes from the environment; see services/platform/host
// and services/platform/auth for the variables. --dev (or CHARTER_DEV=1)
// signs and verifies with the public development key, seeds demo data
// into empty stores and prints one token per demo role.
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
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/charterhq/charter/internal/buildinfo"
	"github.com/charterhq/charter/services/platform/auth"
	"github.com/charterhq/charter/services/platform/host"
)

func main() {
	if err := run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "charterd:", err)
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
	case "rebuild":
		return rebuild(args, getenv, stdout, stderr)
	case "version":
		if len(args) > 0 {
			return errors.New("usage: charterd version")
		}
		_, err := fmt.Fprint(stdout, buildinfo.Read().Format("charterd"))
		return err
	default:
		return fmt.Errorf("unknown command %q (serve, token, describe, rebuild or version)", cmd)
	}
}

func serve(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	dev := fs.Bool("dev", false, "development mode: development signing key, demo data, tokens printed")
	only := fs.String("services", "", "the services to run, comma-separated (default: every service)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := host.FromEnv(getenv)
	if err != nil {
		return err
	}
	cfg.Dev = cfg.Dev || *dev
	if *only != "" {
		cfg.Services = host.SplitList(*only)
	}
	logger := host.NewLogger(cfg, stderr)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first signal starts the drain and the graceful shutdown; a
	// second one ends the process at once, as it would have without them.
	context.AfterFunc(ctx, stop)

	authCfg, err := authConfig(getenv, cfg.Dev)
	if err != nil {
		return err
	}
	h, err := host.Build(ctx, cfg, host.Options{
		Services: services(), Auth: authCfg, Logger: logger, Getenv: getenv, AccessLog: true,
	})
	if err != nil {
		return err
	}
	defer h.Close()
	var (
		docs    []string
		example string // a request to show, on the address materials listens at
		welcome sync.WaitGroup
	)
	err = h.Serve(ctx, func(r *host.Running, addr net.Addr) {
		docs = append(docs, fmt.Sprintf("  %-10s http://%s/docs", r.Service.Title, host.DisplayAddr(addr)))
		if r.Service.Name == "materials" {
			example = "http://" + host.DisplayAddr(addr) + "/materials"
		}
		if cfg.Dev && len(docs) == len(h.Running) {
			// Every service listens by now; the welcome is printed
			// beside the last one starting to serve, not before it.
			welcome.Go(func() {
				if err := printWelcome(stdout, docs, example, h, authCfg); err != nil {
					logger.Error("welcome", "err", err)
				}
			})
		}
	})
	welcome.Wait()
	return err
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

// scopes are every scope the services' contracts name. Those of the
// services running holds come from the contracts the host has loaded
// already; the others' contracts are parsed here.
func scopes(running []*host.Running) ([]string, error) {
	var out []string
	for _, s := range services() {
		var serviceScopes []string
		if i := slices.IndexFunc(running, func(r *host.Running) bool { return r.Service.Name == s.Name }); i >= 0 {
			serviceScopes = running[i].Scopes
		} else {
			spec, err := s.Spec()
			if err != nil {
				return nil, err
			}
			serviceScopes = host.Scopes(spec)
		}
		for _, sc := range serviceScopes {
			if !slices.Contains(out, sc) {
				out = append(out, sc)
			}
		}
	}
	return out, nil
}

// devTokens signs a token for each demo role, with every scope; running
// are the services the process hosts, if any (see scopes).
func devTokens(c auth.Config, ttl time.Duration, running []*host.Running, company int64) ([]auth.DevToken, error) {
	signer, err := auth.NewSigner(c)
	if err != nil {
		return nil, err
	}
	sc, err := scopes(running)
	if err != nil {
		return nil, err
	}
	return auth.SignDevTokens(signer, ttl, auth.DevCallersOf(company, sc))
}

func token(args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "print only this demo role's token: staff, external or viewer")
	ttl := fs.Duration("ttl", 12*time.Hour, "how long the token is valid")
	company := fs.Int64("company", 1, "the company of the external and viewer tokens")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := authConfig(getenv, true)
	if err != nil {
		return err
	}
	if *company < 1 {
		return fmt.Errorf("--company %d: a company ID is positive", *company)
	}
	tokens, err := devTokens(c, *ttl, nil, *company)
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

// printWelcome tells a developer where the docs are and gives them tokens;
// example, when not empty, is a URL to show a curl command for.
func printWelcome(w io.Writer, docs []string, example string, h *host.Host, c auth.Config) error {
	tokens, err := devTokens(c, 12*time.Hour, h.Running, 1)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nCharter is running in development mode.\n\nDocs (Swagger UI), each with its spec at /openapi.json:\n\n%s\n\n", strings.Join(docs, "\n"))
	fmt.Fprintf(w, "Press Authorize in the docs and paste one of these tokens (valid 12 hours):\n\n")
	for _, t := range tokens {
		fmt.Fprintf(w, "  %s — %s\n  %s\n\n", t.Name, t.Description, t.Token)
	}
	if example != "" {
		fmt.Fprintf(w, "Or: curl -H \"Authorization: Bearer $(go run ./services/cmd/charterd token --role staff)\" %s\n\n", example)
	}
	return nil
}
