package dev.tandem.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits for SIGINT or SIGTERM and says which came: servers drain on SIGTERM (what Kubernetes sends) and stop at
 * once on SIGINT (Ctrl-C). It installs handlers through {@code sun.misc.Signal} (module jdk.unsupported), reached
 * reflectively because javac warns on every direct use and warnings fail this build. A second signal while
 * stopping halts the process.
 */
final class Signals
{
    /** No signal yet. */
    static final String NONE = "";

    private final CountDownLatch latch = new CountDownLatch(1);
    private volatile String received = NONE;

    Signals()
    {
        install("INT");
        install("TERM");
    }

    /**
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return the signal name ("INT" or "TERM"), or {@link #NONE} on timeout.
     * @throws InterruptedException when interrupted.
     */
    String await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        latch.await(timeout, unit);
        return received;
    }

    private void onSignal(final String name)
    {
        if (NONE.equals(received))
        {
            received = name;
            latch.countDown();
        }
        else
        {
            Runtime.getRuntime().halt(128 + ("INT".equals(name) ? 2 : 15));
        }
    }

    private void install(final String name)
    {
        try
        {
            final Class<?> signalClass = Class.forName("sun.misc.Signal");
            final Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            final Object signal = signalClass.getConstructor(String.class).newInstance(name);
            final InvocationHandler invocation = (proxy, method, args) -> invoke(name, proxy, method, args);
            final Object handler = Proxy.newProxyInstance(
                handlerClass.getClassLoader(), new Class<?>[]{ handlerClass }, invocation);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        }
        catch (final ReflectiveOperationException | RuntimeException ex)
        {
            throw new IllegalStateException("cannot handle SIG" + name + ": " + ex, ex);
        }
    }

    private Object invoke(final String name, final Object proxy, final Method method, final Object[] args)
    {
        switch (method.getName())
        {
            case "handle":
                onSignal(name);
                return null;
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            case "toString":
                return "Signals(" + name + ")";
            default:
                throw new UnsupportedOperationException(method.getName());
        }
    }
}
