// Command bareserver is what BenchmarkStartup compares charterd's start
// with: an HTTP server that does nothing at start but listen, on the
// addresses charterd's services would (CHARTER_MATERIALS_ADDR and
// CHARTER_QUOTES_ADDR), and answers GET /healthz.
package main

import (
	"log"
	"net/http"
	"os"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
	})
	addrs := []string{os.Getenv("CHARTER_MATERIALS_ADDR"), os.Getenv("CHARTER_QUOTES_ADDR")}
	for _, addr := range addrs[1:] {
		go func() { log.Fatal(http.ListenAndServe(addr, mux)) }()
	}
	log.Fatal(http.ListenAndServe(addrs[0], mux))
}
