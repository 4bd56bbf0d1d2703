package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/charterhq/charter/tools/check"
)

// writeReplay writes the failures of rep as a replay file, naming spec so
// that --replay finds it without --spec.
func writeReplay(path, spec string, rep *check.Report) error {
	f := rep.ReplayFile()
	f.Spec = spec
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// runReplay is charter check --replay: it sends the sequence of each
// failure of the file to url, as the identities of ids, and says whether
// it reproduces. Exit 1 when one does, 0 when none does, 2 when the
// replay could not run. opts carry the run's --rejected-statuses, which
// judge a replayed valid_accepted.
func runReplay(path, spec, url string, ids []check.Identity, opts []check.Option, stdout, stderr io.Writer) int {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	var file check.ReplayFile
	if err := json.Unmarshal(b, &file); err != nil {
		fmt.Fprintf(stderr, "charter check: %s: %v\n", path, err)
		return 2
	}
	if spec == "" {
		spec = file.Spec
	}
	if spec == "" {
		fmt.Fprintf(stderr, "charter check: %s names no spec; pass --spec\n", path)
		return 2
	}
	doc, err := check.LoadSpecFile(spec)
	if err != nil {
		fmt.Fprintf(stderr, "charter check: %v\n", err)
		return 2
	}
	if len(ids) > 0 {
		opts = append(opts, check.WithIdentities(ids...))
	}
	reproduced := 0
	for _, f := range file.Failures {
		res, err := check.Replay(doc, check.URL(url), f, opts...)
		if err != nil {
			fmt.Fprintf(stderr, "charter check: %s on %s: %v\n", f.Check, f.Operation, err)
			return 2
		}
		verdict := "does not reproduce"
		if res.Reproduced {
			verdict = "reproduces"
			reproduced++
		}
		fmt.Fprintf(stdout, "check %s on %s %s in %d request(s):\n  %s\n", f.Check, f.Operation, verdict, len(res.Requests), res.Why)
		for _, r := range res.Requests {
			fmt.Fprintf(stdout, "    %s\n", r.Curl(url))
		}
	}
	fmt.Fprintf(stdout, "%d of %d failure(s) reproduce\n", reproduced, len(file.Failures))
	if reproduced > 0 {
		return 1
	}
	return 0
}
