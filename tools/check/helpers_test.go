package check_test

import "strings"

type stringsBuilder = strings.Builder
