/**
 * Summaries of tabular data (CSV/TSV, JSON Lines, Parquet) at a revision or in the store, and of
 * the tables that changed between two revisions. A folder of its own, apart from versioned data's
 * add/status/checkout: those commands never load the table parsers (csv-parse, hyparquet) or the
 * report code, which cost `status` ~10 ms of start-up when they shared an index (measured).
 */
export { type DescribeResult, describeBytes, describeTableAt, MAX_DESCRIBE_BYTES } from "./describe-table.js";
export { describeChangedTables } from "./changed-tables.js";
