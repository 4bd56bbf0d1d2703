package asyncapi

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// files reads the documents that $refs point into, each once.
type files struct {
	read  func(path string) ([]byte, error)
	trees map[string]any
}

func newFiles(read func(string) ([]byte, error)) *files {
	if read == nil {
		read = os.ReadFile
	}
	return &files{read: read, trees: map[string]any{}}
}

// root returns the decoded document of file.
func (f *files) root(file string) (any, error) {
	if t, ok := f.trees[file]; ok {
		return t, nil
	}
	data, err := f.read(file)
	if err != nil {
		return nil, err
	}
	t, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	f.trees[file] = t
	return t, nil
}

// location is a place in one of the files: the file and a JSON pointer.
type location struct {
	file, pointer string
}

func (l location) String() string { return l.file + "#" + l.pointer }

// target splits ref, written in file, into the file and the pointer it
// names.
func target(file, ref string) (location, error) {
	path, pointer, _ := strings.Cut(ref, "#")
	if strings.Contains(path, "://") {
		return location{}, fmt.Errorf("$ref %q: only $refs to files are followed", ref)
	}
	if pointer != "" && !strings.HasPrefix(pointer, "/") {
		return location{}, fmt.Errorf("$ref %q: the part after # must be a JSON pointer", ref)
	}
	if path == "" {
		return location{file, pointer}, nil
	}
	return location{filepath.Clean(filepath.Join(filepath.Dir(file), filepath.FromSlash(path))), pointer}, nil
}

// refOf returns the $ref of an object that is a reference.
func refOf(v any) (string, bool) {
	m, ok := v.(*Map)
	if !ok {
		return "", false
	}
	ref, ok := m.Values["$ref"].(string)
	return ref, ok
}

// resolve follows ref, written in file, to the value it names, following
// the $refs met on the way (a pointer may lead through a reference, as
// #/channels/x/messages/y does when channel x is a $ref to another file's).
// It returns the value and where it is.
func (f *files) resolve(file, ref string) (any, location, error) {
	at, err := target(file, ref)
	if err != nil {
		return nil, location{}, err
	}
	seen := map[location]bool{}
	for {
		if seen[at] {
			return nil, location{}, fmt.Errorf("$ref %q: the references go round in a circle", ref)
		}
		seen[at] = true
		v, err := f.root(at.file)
		if err != nil {
			return nil, location{}, err
		}
		cur := location{file: at.file}
		for _, tok := range tokens(at.pointer) {
			if r, ok := refOf(v); ok {
				if v, cur, err = f.resolve(cur.file, r); err != nil {
					return nil, location{}, err
				}
			}
			switch c := v.(type) {
			case *Map:
				next, ok := c.Values[tok]
				if !ok {
					return nil, location{}, fmt.Errorf("$ref %q: %s has no %q", ref, cur, tok)
				}
				v = next
			case []any:
				i, err := strconv.Atoi(tok)
				if err != nil || i < 0 || i >= len(c) {
					return nil, location{}, fmt.Errorf("$ref %q: %s has no element %q", ref, cur, tok)
				}
				v = c[i]
			default:
				return nil, location{}, fmt.Errorf("$ref %q: %s is not an object", ref, cur)
			}
			cur.pointer += "/" + escape(tok)
		}
		r, ok := refOf(v)
		if !ok {
			return v, cur, nil
		}
		if at, err = target(cur.file, r); err != nil {
			return nil, location{}, err
		}
	}
}

// tokens splits a JSON pointer into its unescaped reference tokens.
func tokens(pointer string) []string {
	if pointer == "" || pointer == "/" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	for i, p := range parts {
		parts[i] = strings.NewReplacer("~1", "/", "~0", "~").Replace(p)
	}
	return parts
}

// escape makes a reference token of s.
func escape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// Pointer joins reference tokens into a JSON pointer.
func Pointer(tokens ...string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escape(t))
	}
	return b.String()
}
