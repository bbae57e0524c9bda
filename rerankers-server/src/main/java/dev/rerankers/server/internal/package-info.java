/** The server's plumbing (Jetty routes, wire formats, runners, metrics): no compatibility promise. */
package dev.rerankers.server.internal;
