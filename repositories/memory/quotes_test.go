package memory_test

import (
	"testing"

	"github.com/charterhq/charter/repositories/memory"
	"github.com/charterhq/charter/repositories/repotest"
	"github.com/charterhq/charter/stories/quotes"
)

func newQuotes(testing.TB) quotes.Repository { return memory.NewQuotes() }

func TestQuotes(t *testing.T) {
	repotest.Quotes(t, newQuotes)
}

func TestMaterialCopies(t *testing.T) {
	repotest.MaterialCopies(t, func(testing.TB) quotes.MaterialCopies { return memory.NewMaterialCopies() })
}
