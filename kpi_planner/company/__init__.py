"""A company's plan: several segments (regions, products, sizes, sources), each a plan of its
own, rolled up into one; the ARR bridge that sets the new-logo goal; the segments' goals."""
