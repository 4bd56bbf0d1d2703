package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/nats-io/nats.go"

	"github.com/charterhq/charter/repositories/outbox"
	"github.com/charterhq/charter/repositories/sqldb"
	"github.com/charterhq/charter/repositories/sqldb/pgtest"
	"github.com/charterhq/charter/stories/materials"
	"github.com/charterhq/charter/stories/story"
)

// TestMain stops the PostgreSQL server the tests may have started.
func TestMain(m *testing.M) { pgtest.Main(m) }

// externalURL is the NATS server or cluster the tests use instead of an
// embedded one, when set: make test-nats starts one and sets it.
var externalURL = os.Getenv("CHARTER_TEST_NATS_URL")

// testStreams are the streams' options: three replicas on the external
// cluster when CHARTER_TEST_NATS_REPLICAS says so.
func testStreams() StreamOptions {
	n, _ := strconv.Atoi(os.Getenv("CHARTER_TEST_NATS_REPLICAS"))
	return StreamOptions{Replicas: n}
}

// quiet is the logger of the parts under test: warnings and worse.
func quiet() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
}

// newBroker connects to the external test broker, or starts an embedded
// one listening on a free loopback port, stopped when t ends.
func newBroker(t testing.TB) *Broker {
	t.Helper()
	o := BrokerOptions{URL: externalURL, StoreDir: filepath.Join(t.TempDir(), "nats"), Listen: "127.0.0.1:0", Name: t.Name(), Logger: quiet()}
	b, err := StartBroker(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// replicaConn is a connection of its own to b, as a replica in a process
// of its own has, closed when t ends.
func replicaConn(t testing.TB, b *Broker) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(b.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// names hands out service and consumer names that no other test uses,
// so that tests can share an external broker.
var names atomic.Int64

func uniqueName(prefix string) string {
	return fmt.Sprintf("%s%d%d", prefix, time.Now().UnixNano()%1_000_000, names.Add(1))
}

// databases are the stores the relay and consumer tests run on.
var databases = map[string]func(t testing.TB) string{
	"SQLite":   func(t testing.TB) string { return filepath.Join(t.TempDir(), fmt.Sprintf("db%d.db", names.Add(1))) },
	"Postgres": func(t testing.TB) string { return pgtest.NewDatabase(t) },
}

// openDB opens a migrated database of the materials service: it has an
// outbox, an inbox and a table (materials) that handlers write to.
func openDB(t testing.TB, url string) *sqlx.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), url, "materials")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// pipeline is one publishing service and one consuming service over a
// broker, each with its own database.
type pipeline struct {
	t          testing.TB
	broker     *Broker
	service    string // the publisher
	consumer   string
	created    string // the event type the tests publish
	pubDB      *sqlx.DB
	subDB      *sqlx.DB
	outbox     *sqldb.Outbox
	inbox      *sqldb.Inbox
	handlers   *Handlers
	handlerErr func(env Envelope, attempt int64) error
	attempts   sync.Map // event id -> *atomic.Int64
	relayOpts  RelayOptions
	consOpts   ConsumerOptions
	recordWith story.Middleware // wakes the running relay, if any
	recorder   story.Events     // the running relay's Events, if any
}

// events is how stories record: through the running relay, which it
// wakes after their commit, as the host wires it.
func (p *pipeline) events() story.Events {
	if p.recorder != nil {
		return p.recorder
	}
	return p.outbox
}

type thing struct {
	N int `json:"n"`
}

// newPipeline builds a pipeline over two new databases of newURL; its
// handler creates one material per event in the consumer's database.
func newPipeline(t testing.TB, newURL func(testing.TB) string, b *Broker) *pipeline {
	t.Helper()
	p := &pipeline{t: t, broker: b, service: uniqueName("pub"), consumer: uniqueName("sub")}
	p.created = "charter." + p.service + ".thing.created"
	p.pubDB, p.subDB = openDB(t, newURL(t)), openDB(t, newURL(t))
	p.outbox, p.inbox = sqldb.NewOutbox(p.pubDB), sqldb.NewInbox(p.subDB)
	p.handlers = NewHandlers()
	repo := sqldb.NewMaterials(p.subDB)
	Handle(p.handlers, p.created, func(ctx context.Context, env Envelope, data thing) error {
		n, _ := p.attempts.LoadOrStore(env.ID, new(atomic.Int64))
		attempt := n.(*atomic.Int64).Add(1)
		now := time.Now()
		if _, err := repo.Create(ctx, materials.Material{CompanyID: 1, Name: env.ID, Quality: env.Subject,
			Thickness: float64(data.N), CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		if p.handlerErr != nil {
			return p.handlerErr(env, attempt)
		}
		return nil
	})
	p.relayOpts = RelayOptions{Service: p.service, Outbox: p.outbox, Conn: b.Conn, Poll: 50 * time.Millisecond, Streams: testStreams(), Logger: quiet()}
	p.consOpts = ConsumerOptions{Name: p.consumer, Conn: b.Conn, Inbox: p.inbox, Handlers: p.handlers,
		MaxAttempts: 3, RetryBase: 10 * time.Millisecond, RetryMax: 50 * time.Millisecond, AckWait: 5 * time.Second,
		Streams: testStreams(), Logger: quiet()}
	return p
}

// record records n events in as many committed stories, subject i%subjects.
func (p *pipeline) record(from, n, subjects int) {
	p.t.Helper()
	for i := from; i < from+n; i++ {
		ev := story.Event{Type: p.created, Subject: fmt.Sprint(i % subjects), Data: thing{N: i}}
		if err := p.runStory(func(ctx context.Context) error { return p.events().Record(ctx, ev) }); err != nil {
			p.t.Fatal(err)
		}
	}
}

// runStory runs step as a one-step story in a transaction of the
// publisher's database.
func (p *pipeline) runStory(step func(ctx context.Context) error) error {
	mw := []story.Middleware{sqldb.Transaction(p.pubDB)}
	if p.recordWith != nil {
		mw = append([]story.Middleware{p.recordWith}, mw...)
	}
	s := story.MustNew(story.Definition[struct{}]{
		Name:  "Record",
		Steps: []story.Step[struct{}]{story.Do("record", func(ctx context.Context, _ *struct{}) error { return step(ctx) })},
	}).With(mw...)
	return s.Run(context.Background(), &struct{}{})
}

// start runs a relay or a consumer until the test ends or stop is called.
func start(t testing.TB, run func(ctx context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := run(ctx); err != nil {
			t.Errorf("run: %v", err)
		}
	}()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			<-done
		})
	}
	t.Cleanup(stop)
	return stop
}

func (p *pipeline) startRelay() (*Relay, func()) {
	p.t.Helper()
	r, err := NewRelay(p.relayOpts)
	if err != nil {
		p.t.Fatal(err)
	}
	p.recordWith, p.recorder = r.Middleware(), r.Events()
	return r, start(p.t, r.Run)
}

func (p *pipeline) startConsumer() (*Consumer, func()) {
	p.t.Helper()
	c, err := NewConsumer(p.consOpts)
	if err != nil {
		p.t.Fatal(err)
	}
	return c, start(p.t, c.Run)
}

// eventually polls cond until it holds, failing t after a deadline
// generous enough for a busy machine.
func eventually(t testing.TB, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after 60s: %s", what, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func countRows(t testing.TB, db *sqlx.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.Get(&n, db.Rebind(query), args...); err != nil {
		t.Fatal(err)
	}
	return n
}

// settled waits until every one of n events was published and handled,
// then checks the end state of both databases: nothing unpublished, one
// inbox row and one material per event.
func (p *pipeline) settled(n int) {
	p.t.Helper()
	eventually(p.t, fmt.Sprintf("%d events published and handled", n), func() (bool, string) {
		backlog := countRows(p.t, p.pubDB, "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL")
		handled := countRows(p.t, p.subDB, "SELECT COUNT(*) FROM materials")
		return backlog == 0 && handled >= n, fmt.Sprintf("backlog %d, handled %d", backlog, handled)
	})
	if got := countRows(p.t, p.pubDB, "SELECT COUNT(*) FROM outbox"); got != n {
		p.t.Errorf("%d outbox rows, want %d", got, n)
	}
	if got := countRows(p.t, p.subDB, "SELECT COUNT(*) FROM inbox WHERE consumer = ?", p.consumer); got != n {
		p.t.Errorf("%d inbox rows, want %d", got, n)
	}
	if got := countRows(p.t, p.subDB, "SELECT COUNT(*) FROM materials"); got != n {
		p.t.Errorf("%d events handled, want each of %d once", got, n)
	}
	if got := countRows(p.t, p.subDB, "SELECT COUNT(DISTINCT name) FROM materials"); got != n {
		p.t.Errorf("%d distinct events handled, want %d", got, n)
	}
}

func storyEvent(eventType, subject string, data any) story.Event {
	return story.Event{Type: eventType, Subject: subject, Data: data}
}

func seqs(rows []outbox.Event) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.Seq
	}
	return out
}

func nowUTC() time.Time { return time.Now().UTC() }

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
