// Package testenv finds what lcity's tests need from outside the module:
// the shared fixtures in ../shared (real-world PDFs, the REFI-QDA schema)
// and external tools such as pdftotext, xmllint and Chromium.
//
// When something is missing, the test skips with a message that says how
// to get it, unless the CI environment variable is set: then it fails, so
// a CI run cannot pass by skipping the tests that matter (.ci/run installs
// the tools and expects ../shared beside the clone).
//
//	func TestAgainstPdftotext(t *testing.T) {
//		dir := testenv.Shared(t, "pdfs")
//		tool := testenv.Tool(t, "pdftotext", "poppler-utils")
//		...
//	}
package testenv
