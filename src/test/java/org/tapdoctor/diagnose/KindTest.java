package org.tapdoctor.diagnose;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that proves a kind's rule: {@link KindsTest} requires one for every {@link Kind}, so
 * a kind cannot be added without its rule test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(KindTest.List.class)
public @interface KindTest {
    Kind value();

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {
        KindTest[] value();
    }
}
