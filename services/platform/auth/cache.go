package auth

import (
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"github.com/charterhq/charter/stories/access"
)

// cache remembers the callers of tokens that verified, until the tokens
// expire. Only successes enter it, and only a correctly signed token is a
// success, so flooding it takes tokens from the issuer rather than
// garbage; when it is full anyway, expired entries go first, then the
// entry closest to expiry among a small random sample, so that a burst of
// new tokens cannot push out long-lived ones wholesale.
//
// It is split into shards, each under its own lock, so that requests
// carrying different tokens do not contend; a hit takes only a read lock.
type cache struct {
	seed   maphash.Seed
	shards []cacheShard
	// perShard bounds each shard; the whole cache holds at most
	// perShard*len(shards) entries.
	perShard int
}

type cacheShard struct {
	mu      sync.RWMutex
	entries map[string]cacheEntry
	// Padding to 128 bytes keeps two shards' locks off one cache line,
	// so that readers of one shard do not slow down its neighbour's.
	_ [96]byte
}

type cacheEntry struct {
	caller access.Caller
	// expires is the instant, leeway included, from which the token is
	// refused.
	expires time.Time
}

// evictionSample is how many entries a full shard looks at to choose one
// to drop: enough to usually find an expired or nearly expired one, few
// enough to keep an insertion cheap.
const evictionSample = 8

func newCache(size int) *cache {
	if size <= 0 {
		return nil
	}
	n := 1
	for n < 64 && n*64 < size {
		n *= 2
	}
	c := &cache{seed: maphash.MakeSeed(), shards: make([]cacheShard, n), perShard: (size + n - 1) / n}
	for i := range c.shards {
		c.shards[i].entries = make(map[string]cacheEntry)
	}
	return c
}

// shardKeyLen is how much of a token's end chooses its shard. A token
// ends with its signature, whose bytes are as good as random and cannot
// be chosen by anybody without the key, so hashing them spreads tokens
// as well as hashing the whole token would, at a fraction of the cost.
const shardKeyLen = 16

func (c *cache) shard(token string) *cacheShard {
	tail := token[max(0, len(token)-shardKeyLen):]
	return &c.shards[maphash.String(c.seed, tail)&uint64(len(c.shards)-1)]
}

// get returns the cached caller of token, and whether it was cached and
// is still unexpired at now. An expired entry is removed.
func (c *cache) get(token string, now time.Time) (access.Caller, bool, bool) {
	s := c.shard(token)
	s.mu.RLock()
	e, ok := s.entries[token]
	s.mu.RUnlock()
	if !ok {
		return access.Caller{}, false, false
	}
	if !now.Before(e.expires) {
		s.mu.Lock()
		if cur, ok := s.entries[token]; ok && !now.Before(cur.expires) {
			delete(s.entries, token)
		}
		s.mu.Unlock()
		return access.Caller{}, true, false
	}
	return e.caller, true, true
}

// put remembers caller for token until expires.
func (c *cache) put(token string, caller access.Caller, expires, now time.Time) {
	// The token may be a slice of a larger request header; a copy keeps
	// only the token itself alive.
	token = strings.Clone(token)
	s := c.shard(token)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.entries[token]; !ok && len(s.entries) >= c.perShard {
		s.evict(now)
	}
	s.entries[token] = cacheEntry{caller: caller, expires: expires}
}

// evict drops the expired entries among a sample, or if there are none
// the sampled entry closest to expiry. Map iteration starts at a random
// place, which makes the sample random.
func (s *cacheShard) evict(now time.Time) {
	var (
		victim   string
		earliest time.Time
		seen     int
		dropped  bool
	)
	for token, e := range s.entries {
		if !now.Before(e.expires) {
			delete(s.entries, token)
			dropped = true
		} else if seen == 0 || e.expires.Before(earliest) {
			victim, earliest = token, e.expires
		}
		seen++
		if seen == evictionSample {
			break
		}
	}
	if !dropped && seen > 0 {
		delete(s.entries, victim)
	}
}

// len returns the number of entries, for tests.
func (c *cache) len() int {
	n := 0
	for i := range c.shards {
		c.shards[i].mu.RLock()
		n += len(c.shards[i].entries)
		c.shards[i].mu.RUnlock()
	}
	return n
}
