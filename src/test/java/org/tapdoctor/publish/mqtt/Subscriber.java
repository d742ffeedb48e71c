package org.tapdoctor.publish.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import javax.net.SocketFactory;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A test subscriber (Paho): records every message with its topic, payload, retained flag and
 * arrival time. With a persistent session (clean session off, fixed client id), the broker keeps
 * its subscriptions and QoS 1 messages for it while it is away; without, it re-subscribes on every
 * reconnection (from a thread of its own).
 */
public final class Subscriber implements AutoCloseable {
    /** One message; {@code bytes} is the payload as it came (pcaps), {@code payload} the same read as UTF-8. */
    public record Message(String topic, String payload, boolean retained, long nanos, byte[] bytes) {
    }

    private final MqttClient client;
    private final List<Message> messages = new ArrayList<>();
    private final String[] topics;

    public Subscriber(String url, String clientId, boolean persistent, SocketFactory tls, String user, char[] password,
                      String... topics) throws MqttException {
        this.topics = topics;
        client = new MqttClient(url, clientId, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(!persistent);
        o.setAutomaticReconnect(true);
        o.setMaxReconnectDelay(1000);
        o.setMaxInflight(1000);
        if (tls != null) {
            o.setSocketFactory(tls);
        }
        if (user != null) {
            o.setUserName(user);
            o.setPassword(password);
        }
        client.setCallback(new MqttCallbackExtended() {
            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                // A persistent session keeps its subscriptions at the broker. Never subscribe (a blocking
                // call) on Paho's callback thread: when more than Paho's inbound queue (10) of queued
                // messages arrives before the SUBACK, its receiver blocks on the full queue while this
                // thread waits for the SUBACK, and nothing is ever delivered again.
                if (reconnect && !persistent) {
                    Thread t = new Thread(Subscriber.this::subscribe, "test-resubscribe");
                    t.setDaemon(true);
                    t.start();
                }
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage m) {
                synchronized (messages) {
                    messages.add(new Message(topic, new String(m.getPayload(), StandardCharsets.UTF_8), m.isRetained(),
                            System.nanoTime(), m.getPayload()));
                    messages.notifyAll();
                }
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        client.connect(o);
        subscribe();
    }

    /** A subscriber logged in as {@code user} (password {@code password}). */
    public static Subscriber as(String url, String user, String password, String... topics) throws MqttException {
        return new Subscriber(url, "test-" + user + "-" + System.nanoTime(), false, null, user, password.toCharArray(), topics);
    }

    public static Subscriber of(String url, String... topics) throws MqttException {
        return new Subscriber(url, "test-sub-" + System.nanoTime(), false, null, null, null, topics);
    }

    private void subscribe() {
        try {
            int[] qos = new int[topics.length];
            java.util.Arrays.fill(qos, 1);
            client.subscribe(topics, qos);
        } catch (MqttException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes (QoS 1) through this subscriber's own connection, as its user. */
    public void publish(String topic, byte[] payload, boolean retained) throws MqttException {
        client.publish(topic, payload, 1, retained);
    }

    public void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Forgets what arrived so far. */
    public void clear() {
        synchronized (messages) {
            messages.clear();
        }
    }

    public List<Message> messages() {
        synchronized (messages) {
            return new ArrayList<>(messages);
        }
    }

    /** Waits until the messages satisfy the condition; returns them either way. */
    public List<Message> await(Predicate<List<Message>> done, long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        synchronized (messages) {
            while (!done.test(messages)) {
                long left = end - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                messages.wait(Math.min(left, 200));
            }
            return new ArrayList<>(messages);
        }
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(1000);
        }
        client.close(true);
    }
}
