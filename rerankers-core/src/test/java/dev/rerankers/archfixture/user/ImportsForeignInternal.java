package dev.rerankers.archfixture.user;

import dev.rerankers.archfixture.internal.ForeignInternal;

/** A class that breaks the rule: it uses another module's internal package. */
public final class ImportsForeignInternal {
  int use() {
    return ForeignInternal.answer();
  }
}
