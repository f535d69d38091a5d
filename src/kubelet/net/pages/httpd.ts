// Apache httpd's pages as the official image serves them (htdocs/index.html, the 404 of mod_core).

/** htdocs/index.html: 45 bytes, unchanged since 2007 (its ETag is always "2d-432a5e4a73a80") */
export const HTTPD_INDEX = '<html><body><h1>It works!</h1></body></html>\n';
export const HTTPD_INDEX_LAST_MODIFIED = 'Mon, 11 Jun 2007 18:53:14 GMT';
export const HTTPD_INDEX_ETAG = '"2d-432a5e4a73a80"';

export function httpdNotFound(): string {
  return `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>404 Not Found</title>
</head><body>
<h1>Not Found</h1>
<p>The requested URL was not found on this server.</p>
</body></html>
`;
}
