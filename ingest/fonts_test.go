package ingest

// fontFixtures are the generated PDFs under testdata/fonts.
var fontFixtures []fixture
