# tests/funclen.awk -- the functions longer than MAX lines in C files
# written as posync writes them (style.md): a function's body opens with
# "{" in column 0 and closes with "}" in column 0.  Prints "LINES FILE:LINE
# NAME" for each; awk -v MAX=80 -f tests/funclen.awk FILE...
/^{/ { start = FNR; name = prev; next }
/^}/ {
	if (start && FNR - start + 1 > MAX)
		printf "%d %s:%d %s\n", FNR - start + 1, FILENAME, start, name
	start = 0
	next
}
!start && /^[a-zA-Z_].*\(/ { prev = $0 }
