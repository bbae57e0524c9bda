package dev.rerankers.server.internal;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors Jetty answers itself, before any route runs (a malformed request line, headers too
 * large, a URI it refuses): the same JSON body as every other error, never Jetty's HTML page or a
 * stack trace.
 */
final class JsonErrors extends ErrorHandler {
  static final String BAD_REQUEST = "bad_request";

  JsonErrors() {
    setShowStacks(false);
    setShowCauses(false);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Object s = request.getAttribute(ERROR_STATUS);
    int status = s instanceof Integer i ? i : response.getStatus() >= 400 ? response.getStatus() : 500;
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(body(status)), callback);
    return true;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status));
  }

  private static byte[] body(int status) {
    String type = status >= 500 ? HttpError.INTERNAL : BAD_REQUEST;
    String reason = HttpStatus.getMessage(status);
    return Wire.error(new HttpError(status, type, "the HTTP request was refused: " + status + " " + reason), "");
  }
}
