// The pages nginx serves out of the box (the official Docker image: /usr/share/nginx/html and the
// error pages compiled into ngx_http_special_response.c). Byte for byte: users compare them.

/** the style block of the 1.21+ pages (the color-scheme rule was added then) */
const STYLE = `<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
`;

/** the same rules before 1.21, indented */
const STYLE_OLD = `<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
`;

const welcome = (style: string) => `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
${style}</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** /usr/share/nginx/html/index.html since nginx 1.21 (615 bytes) */
export const NGINX_INDEX = welcome(STYLE);

/** the same page before nginx 1.21 (612 bytes) */
export const NGINX_INDEX_OLD = welcome(STYLE_OLD);

/** /usr/share/nginx/html/50x.html (1.21+) */
export const NGINX_50X = `<!DOCTYPE html>
<html>
<head>
<title>Error</title>
${STYLE}</head>
<body>
<h1>An error occurred.</h1>
<p>Sorry, the page you are looking for is currently unavailable.<br/>
Please try again later.</p>
<p>If you are the system administrator of this resource then you should check
the error log for details.</p>
<p><em>Faithfully yours, nginx.</em></p>
</body>
</html>
`;

/** nginx's built-in error page: CRLF line ends, the version in the tail (server_tokens on) */
export function nginxErrorPage(status: number, reason: string, version: string): string {
  return `<html>\r\n<head><title>${status} ${reason}</title></head>\r\n<body>\r\n<center><h1>${status} ${reason}</h1></center>\r\n<hr><center>nginx/${version}</center>\r\n</body>\r\n</html>\r\n`;
}
