package main

import "flag"

// update makes the tests of this package rewrite what they compare
// against (golden files, docs/screenshots) instead of checking it.
var update = flag.Bool("update", false, "rewrite golden files and docs/screenshots instead of checking them")
