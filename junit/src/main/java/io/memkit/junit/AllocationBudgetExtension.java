package io.memkit.junit;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Runs a method annotated with {@link AllocationBudget} through {@link BudgetCheck} instead of
 * letting JUnit invoke it once. Registered by the annotation; stateless.
 */
final class AllocationBudgetExtension implements InvocationInterceptor {

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                    ExtensionContext extensionContext) throws Throwable {
        intercept(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                            ExtensionContext extensionContext) throws Throwable {
        intercept(invocation, context);
    }

    private static void intercept(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context)
            throws Throwable {
        Method method = context.getExecutable();
        Optional<AllocationBudget> found = AnnotationSupport.findAnnotation(method, AllocationBudget.class);
        if (found.isEmpty()) {
            invocation.proceed();
            return;
        }
        AllocationBudget budget = found.get();
        String name = method.getDeclaringClass().getSimpleName() + "." + method.getName() + "()";
        if (budget.bytes() < 0 || budget.warmup() < 0) {
            invocation.skip();
            throw new IllegalArgumentException("@AllocationBudget on " + name + ": bytes (" + budget.bytes()
                    + ") and warmup (" + budget.warmup() + ") must not be negative");
        }
        BudgetCheck.Call call = bind(method, context.getTarget().orElse(null), context.getArguments(), name);
        invocation.skip();
        try {
            BudgetCheck.enforce(name, budget.bytes(), budget.warmup(), call);
        } catch (BudgetCheck.Thrown thrown) {
            throw thrown.getCause();
        }
    }

    /** The method bound to its instance and arguments, as a call that allocates nothing of its own. */
    private static BudgetCheck.Call bind(Method method, Object target, List<Object> arguments, String name) {
        MethodHandle handle;
        try {
            method.setAccessible(true);
            handle = MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException | RuntimeException e) {
            throw new IllegalStateException("@AllocationBudget cannot invoke " + name + ": " + e
                    + " (a test class in a named module must open its package to io.memkit.junit)", e);
        }
        if (target != null) {
            handle = handle.bindTo(target);
        }
        if (!arguments.isEmpty()) {
            handle = MethodHandles.insertArguments(handle, 0, arguments.toArray());
        }
        return new BudgetCheck.Call(handle.asType(MethodType.methodType(void.class)));
    }
}
