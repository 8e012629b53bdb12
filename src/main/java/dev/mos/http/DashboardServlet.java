package dev.mos.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The web dashboard's static files, served from the jar (classpath "dashboard/"): no build step, no templating.
 * Only plain file names are served, so no path can reach outside that folder.
 */
final class DashboardServlet extends HttpServlet {

    static final String INDEX = "index.html";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final JsonResponses json;

    DashboardServlet(JsonResponses json) {
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String name = request.getPathInfo() == null ? INDEX : request.getPathInfo().substring(1);
        serve(name, response, json);
    }

    static void serve(String name, HttpServletResponse response, JsonResponses json) throws IOException {
        if (!NAME.matcher(name).matches()) {
            json.error(response, 404, "no such dashboard file: " + name);
            return;
        }
        try (InputStream in = DashboardServlet.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                json.error(response, 404, "no such dashboard file: " + name);
                return;
            }
            byte[] bytes = in.readAllBytes();
            response.setStatus(200);
            response.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
            // Revalidate each load: the jar may have been rebuilt, and the files are small.
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(bytes.length);
            response.getOutputStream().write(bytes);
        }
    }
}
