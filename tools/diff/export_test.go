package diff

// SetFullWalk turns the skipping of equal subtrees off (true) or on and
// returns the previous setting.
func SetFullWalk(full bool) bool {
	prev := fullWalk
	fullWalk = full
	return prev
}
